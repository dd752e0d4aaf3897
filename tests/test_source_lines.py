"""Line starts of a source: one per line, only ``\\n`` ends a line, whatever else the text holds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.text.source import Source


def _scan(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


@pytest.mark.parametrize(
    "text",
    ["", "\n", "\n\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "x\ry\x0bz\x0c\u2028w\x85v\n", "\ufeffa\nb", "é\n\n日本\n"],
)
def test_line_starts(text: str) -> None:
    source = Source("t.sql", text)
    assert list(source._line_starts) == _scan(source.text)  # an array of the same offsets
    assert source.line_count == text.count("\n") + 1
    last = source.line_count
    assert source.line_text(last) == source.text[_scan(source.text)[-1] :].rstrip("\r")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n\r\u00e9", max_size=40), st.integers(-3, 45), st.integers(0, 45))
def test_span_is_two_positions(text: str, start: int, length: int) -> None:
    """Source.span (one search when the span is on one line) is position() of each end."""
    source = Source("p.sql", text)
    end = start + length
    assert source.span(start, end) == (*source.position(start), *source.position(end))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n\r", max_size=40), st.lists(st.integers(-3, 45), max_size=10))
def test_lines_are_positions_lines(text: str, offsets: list[int]) -> None:
    source = Source("p.sql", text)
    assert source.lines(offsets) == [source.position(o)[0] for o in offsets]

"""``dumps_indented`` writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dsql_lint.report import json_report
from dsql_lint.report.json_report import dumps_indented


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[], {}], "d": None, "e": True, "f": False, "g": 0, "h": -12},
        {"version": 1, "diagnostics": [{"path": "V1__ünï.sql", "message": 'quote " and \\ and \n\t\x01 and \u2028'}]},
        [1, [2, [3, {"k": (4, 5)}]], "x"],
        "just a string",
        {"fix": {"edits": [{"start": 1, "end": 2, "content": ""}], "safety": "safe"}},
        {"float falls back": 1.5, "nan": float("nan")},
        {1: "int key falls back", None: "none key"},
        [2**70, True, None],
    ],
)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_unserialisable_values_still_raise() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": object()})


class _Writes:
    """A text sink that records each write and how many items had been made by then."""

    def __init__(self, made: list[int]) -> None:
        self.writes: list[tuple[str, int]] = []
        self.made = made

    def write(self, text: str) -> int:
        self.writes.append((text, self.made[0]))
        return len(text)


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"a": 1}],
        [{"path": "x.sql", "line": i, "fix": None, "message": f"m{i} \n"} for i in range(50)],
        [{"float": 1.5}, {"ok": [1, {"deep": []}]}, {3: "int key"}, "s", None],
    ],
)
def test_a_stream_is_written_as_the_list_would_be(items: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_report, "_FLUSH_AT", 7)
    made = [0]

    def produce() -> Any:
        for item in items:
            made[0] += 1
            yield item

    document = {"version": 1, "diagnostics": json_report.Stream(produce()), "summary": {"n": len(items)}}
    out = _Writes(made)
    json_report.write_indented(out, document)  # type: ignore[arg-type]
    expected = {"version": 1, "diagnostics": items, "summary": {"n": len(items)}}
    assert "".join(text for text, _ in out.writes) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    if len(items) == 50:  # written in batches while the items were still being made
        assert len(out.writes) > 5 and out.writes[0][1] < 10


def test_write_all_joins_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from dsql_lint import report

    monkeypatch.setattr(report, "BATCH", 3)
    made = [0]

    def produce() -> Any:
        for i in range(10):
            made[0] += 1
            yield f"{i}\n"

    out = _Writes(made)
    report.write_all(out, produce())  # type: ignore[arg-type]
    assert [(text, n) for text, n in out.writes] == [("0\n1\n2\n", 3), ("3\n4\n5\n", 6), ("6\n7\n8\n", 9), ("9\n", 10)]


def test_write_all_keeps_a_part_outside_ascii_out_of_its_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch joined with one "…" would be a text of two bytes a character: every write is
    ASCII but the parts that are not, which go alone, and the text is the same, in order."""
    from dsql_lint import report

    monkeypatch.setattr(report, "BATCH", 4)
    parts = ["a\n", "b…\n", "c\n", "d\n", "e\n", "f\n", "g\n", "h…\n", "ü\n", "i\n"]
    out = _Writes([0])
    report.write_all(out, iter(parts))  # type: ignore[arg-type]
    writes = [text for text, _ in out.writes]
    assert "".join(writes) == "".join(parts)
    assert writes == ["a\n", "b…\n", "c\nd\n", "e\nf\ng\n", "h…\n", "ü\n", "i\n"]

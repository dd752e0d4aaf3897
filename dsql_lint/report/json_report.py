"""The JSON output format (``--format json``), documented in README.md."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from dsql_lint.model import Severity
from dsql_lint.report.tools import tool_groups
from dsql_lint.run.lint import Run, RunResult
from dsql_lint.text.source import printable

SCHEMA_VERSION = 1


def summary(result: Run) -> dict[str, Any]:
    """Counts of the run: files, findings by severity and by code, fixable and (with ``--fix``) fixed findings."""
    tally = result.tally()
    counts = {
        "files": tally.files,
        "files_with_findings": tally.with_findings,
        "total": tally.total,
        "errors": tally.by_severity[Severity.ERROR],
        "warnings": tally.by_severity[Severity.WARNING],
        "fixable": tally.fixable,
        "by_code": dict(sorted(tally.by_code.items())),
        "unreadable_files": len(tally.failed),
    }
    if isinstance(result, RunResult) and result.fixing:
        counts["fixed"] = len(result.fixed)
    return counts


def _printable_path(item: dict[str, Any]) -> dict[str, Any]:
    item["path"] = printable(item["path"])
    return item


def document(result: Run, stream: bool = False) -> dict[str, Any]:
    """The whole JSON document for a run (``stream``: its diagnostics as a :class:`Stream`)."""
    diagnostics = (_printable_path(d.to_json()) for d in result.findings())
    if not stream:
        return {"version": SCHEMA_VERSION, "diagnostics": list(diagnostics), **_after(result)}
    # The parts after the findings are made once they are written (a streamed run is linted then).
    return {"version": SCHEMA_VERSION, "diagnostics": Stream(diagnostics), "": Later(lambda: _after(result))}


def _after(result: Run) -> dict[str, Any]:
    """The document's members after its findings."""
    return {
        "file_errors": [{"path": printable(f.path), "message": f.error} for f in result.file_errors],
        "migration_tools": tool_groups(result),
        "summary": summary(result),
    }


def write_json(result: Run, out: TextIO, color: bool) -> None:
    """Write the JSON document (one object, pretty-printed, newline-terminated)."""
    write_indented(out, document(result, stream=True))


class Stream:
    """A list of a document that :func:`write_indented` writes item by item as the items are made."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class Later:
    """Members of a document (a dict) that :func:`write_indented` makes when it reaches them, in
    place of this one (whose key is ignored): what depends on a :class:`Stream` written before."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], dict[str, Any]]) -> None:
        self.make = make


class _Sink(list[str]):
    """The parts :func:`write_indented` has not written yet."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.out = out

    def flush(self) -> None:
        self.out.write("".join(self))
        self.clear()


#: Parts a :class:`_Sink` holds before a :class:`Stream` writes them out.
_FLUSH_AT = 1 << 14


def write_indented(out: TextIO, value: Any) -> None:
    """``out.write(dumps_indented(value) + "\\n")``, with each :class:`Stream` written as a list whose
    items are encoded, written and let go one batch at a time: a report of 100,000 findings is
    never held whole (as a document, its parts and the text, that was 300 MB)."""
    parts = _Sink(out)
    _append(value, "\n", parts)
    parts.append("\n")
    parts.flush()


class _NotPlain(Exception):
    """A value :func:`dumps_indented` leaves to the standard encoder."""


_encode_str = json.encoder.encode_basestring  # the C function when available, as json.dumps uses


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, byte for byte, built in one pass.

    With ``indent`` the standard library skips its C encoder and yields (and ``json.dump``
    writes) one small piece at a time: half a million of them for 10,000 findings. Plain
    values (dicts with string keys, lists, strings, ints, booleans, None) are joined here;
    anything else goes to ``json.dumps``.
    """
    parts: list[str] = []
    try:
        _append(value, "\n", parts)
    except _NotPlain:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(parts)


def _append(value: Any, newline: str, parts: list[str]) -> None:
    kind = type(value)
    if kind is str:
        parts.append(_encode_str(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if type(item) is Later:
                for later_key, later_item in item.make().items():
                    parts.append(separator + _encode_str(later_key) + ": ")
                    _append(later_item, inner, parts)
                    separator = "," + inner
                continue
            if type(key) is not str:
                raise _NotPlain
            parts.append(separator + _encode_str(key) + ": ")
            _append(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _append(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif kind is Stream:
        inner = newline + "  "
        first = separator = "[" + inner
        for item in value.items:
            parts.append(separator)
            separator = "," + inner
            mark = len(parts)
            try:
                _append(item, inner, parts)
            except _NotPlain:  # this item as the standard encoder writes it, indented to its depth
                del parts[mark:]
                parts.append(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", inner))
            if len(parts) >= _FLUSH_AT and isinstance(parts, _Sink):
                parts.flush()
        parts.append("[]" if separator is first else newline + "]")
    else:
        raise _NotPlain

"""``dumps_indented`` writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

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

"""Reporters: turn a run's results into text for people or machines. They never know a rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from dsql_lint.run import RunResult

Reporter = Callable[[RunResult, TextIO, bool], None]


def get_reporter(name: str) -> Reporter:
    """The reporter for an output format name."""
    if name == "json":
        from dsql_lint.report.json_report import write_json

        return write_json
    from dsql_lint.report.text import write_text

    return write_text


FORMATS = ("text", "json")

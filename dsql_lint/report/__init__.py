"""Reporters: turn a run's results into text for people or machines. They never know a rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from itertools import islice
from typing import Any, TextIO

#: ``reporter(run, out, color)``: most take any :class:`dsql_lint.run.lint.Run`; junit and sarif, whose
#: headers come before the findings, a :class:`dsql_lint.run.lint.RunResult` (a whole run).
Reporter = Callable[[Any, TextIO, bool], None]

#: Output format name -> (module, function); modules load only when their format is used.
_REPORTERS = {
    "text": ("dsql_lint.report.text", "write_text"),
    "concise": ("dsql_lint.report.concise", "write_concise"),
    "json": ("dsql_lint.report.json_report", "write_json"),
    "sarif": ("dsql_lint.report.sarif", "write_sarif"),
    "github": ("dsql_lint.report.github", "write_github"),
    "gitlab": ("dsql_lint.report.gitlab", "write_gitlab"),
    "junit": ("dsql_lint.report.junit", "write_junit"),
}
FORMATS = tuple(_REPORTERS)


def get_reporter(name: str) -> Reporter:
    """The reporter for an output format name (``text`` for an unknown name)."""
    module, function = _REPORTERS.get(name, _REPORTERS["text"])
    reporter: Reporter = getattr(import_module(module), function)
    return reporter


#: Parts joined into one ``write`` by :func:`write_all`.
BATCH = 512


def write_all(out: TextIO, parts: Iterable[str]) -> None:
    """``out.write("".join(parts))``, :data:`BATCH` parts at a time.

    A report joined whole was held twice (its parts and the text: 230 MB for 106,000 findings
    with excerpts); one ``write`` per finding costs a call each, and on a terminal a flush per
    line. A batch joined is the middle. (Here, not in a module of its own: the text report
    imports this package anyway.)

    A part outside ASCII (an excerpt cut short with "…") is written on its own: joined with the
    others, it would make the whole batch a text of two bytes a character, which every encoder
    after it (the output's, the run record's) reads several times slower than ASCII.
    """
    parts = iter(parts)
    while batch := list(islice(parts, BATCH)):
        if all(map(str.isascii, batch)):  # a flag of each string: no character is read
            out.write("".join(batch))
            continue
        run: list[str] = []
        for part in batch:
            if part.isascii():
                run.append(part)
                continue
            if run:
                out.write("".join(run))
                run = []
            out.write(part)
        if run:
            out.write("".join(run))

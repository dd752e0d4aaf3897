"""Rule documentation pages: where they live, and the examples in them.

Built-in rules have a page ``rules/<code>-<name>.md`` in the repository, shipped
inside the wheel as ``dsql_lint/_rule_docs``. The fenced SQL blocks marked
``sql bad``, ``sql good``, ``sql before`` and ``sql after`` are executed by the
test suite, so a page cannot drift from the code.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path

from dsql_lint.rule import Rule

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATE_DIRS = (_PACKAGE_DIR / "_rule_docs", _PACKAGE_DIR.parent / "rules")

_FENCE = re.compile(r"^```sql[ \t]+(?P<label>[a-z-]+)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

EXAMPLE_LABELS = ("bad", "good", "before", "after")


@dataclass
class Example:
    """One fenced SQL example of a rule page."""

    label: str  # bad | good | before | after
    sql: str
    line: int  # line of the opening fence in the page


def docs_dir() -> Path | None:
    """The folder holding the built-in rule pages, if it is installed."""
    for candidate in _CANDIDATE_DIRS:
        if candidate.is_dir():
            return candidate
    return None


def page_path(rule: type[Rule]) -> Path | None:
    """The page of a built-in rule, if there is one."""
    folder = docs_dir()
    if folder is None:
        return None
    path = folder / f"{rule.code}-{rule.name}.md"
    return path if path.is_file() else None


def page_text(rule: type[Rule]) -> str:
    """The rule's page, or a page made from its metadata and docstring (for plugins)."""
    path = page_path(rule)
    if path is not None:
        return path.read_text(encoding="utf-8")
    doc = inspect.getdoc(rule) or ""
    lines = [f"# {rule.code} {rule.name}", "", rule.summary, "", f"Severity: {rule.severity.value}", ""]
    if doc:
        lines += [doc, ""]
    if rule.help:
        lines += [f"Fix: {rule.help}", ""]
    return "\n".join(lines)


def examples(markdown: str) -> list[Example]:
    """The labelled SQL examples of a page, in order."""
    found = []
    for m in _FENCE.finditer(markdown):
        label = m.group("label")
        if label in EXAMPLE_LABELS:
            found.append(Example(label, m.group("body"), markdown.count("\n", 0, m.start()) + 1))
    return found

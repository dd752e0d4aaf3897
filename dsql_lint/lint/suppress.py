"""The suppress step: inline suppression comments and per-file ignores, after the rules ran.

Four comments silence findings, each with codes or code prefixes and an optional reason
after `` -- ``:

- ``-- noqa: DSQL301`` at the end of a line covers findings that start on that line
  (a bare ``-- noqa`` covers every finding on the line);
- ``-- dsql-lint: ignore[DSQL301]`` on its own line covers the whole statement that
  follows (inside a statement: the next line; after code on a line: that line);
- ``-- dsql-lint: disable[DSQL301]`` covers findings that start after it, up to an
  ``-- dsql-lint: enable[DSQL301]`` naming the same code, or to the end of the file;
- ``-- dsql-lint: file-ignore[DSQL5]`` anywhere covers the whole file.

Suppressions that silence nothing are reported as DSQL003 (only when a rule they name was
selected, so that "unused" is certain), unknown codes, malformed directives and an ``enable``
that closes no ``disable`` as DSQL004,
and bare ``-- noqa`` as DSQL005 (off by default). ``noqa`` codes from other tools (sqlfluff's
``LT01``) are left alone: only codes in the namespaces of registered rules are checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dsql_lint.config.settings import Settings
from dsql_lint.model import DIAGNOSTIC_ORDER, Diagnostic, Script
from dsql_lint.rules.api import Rule
from dsql_lint.text.source import Source

UNUSED_CODE = "DSQL003"
INVALID_CODE = "DSQL004"
BLANKET_CODE = "DSQL005"
META_CODES = frozenset({UNUSED_CODE, INVALID_CODE, BLANKET_CODE})

_ANY_DIRECTIVE = re.compile(r"noqa|dsql-lint\s*:", re.IGNORECASE)
#: Names that live in dsql_lint.lint.suppress_comments (imported when first asked for here).
_COMMENT_NAMES = frozenset(
    {"NOQA", "NOQA_CODES", "DIRECTIVE", "KINDS", "CodeRef", "Suppression", "Problem", "parse_suppressions"}
)


def __getattr__(name: str) -> Any:
    if name in _COMMENT_NAMES:
        from dsql_lint.lint import suppress_comments

        return getattr(suppress_comments, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def has_directive(text: str) -> bool:
    """Whether ``text`` may hold a suppression comment (most files hold none: then nothing else is parsed)."""
    if text.isascii():  # exact for ASCII text, and a plain substring test is far cheaper than the regex
        lowered = text.lower()
        if "noqa" not in lowered and "dsql-lint" not in lowered:
            return False
    return _ANY_DIRECTIVE.search(text) is not None


class Suppressor:
    """Applies per-file ignores and suppression comments for one set of selected rules.

    A plain class, not a dataclass: this module is imported on every run, and a dataclass
    costs a few tenths of a millisecond to create.
    """

    def __init__(self, selected: Sequence[type[Rule]], settings: Settings, registered: Sequence[type[Rule]]) -> None:
        self.selected = selected
        self.settings = settings
        self.registered = registered
        self._selected_codes: frozenset[str] | None = None

    def apply(self, script: Script, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics that remain, plus findings about the suppressions themselves."""
        ignored = self._per_file_ignored(script.source.path)
        if self._selected_codes is None:
            self._selected_codes = frozenset(r.code for r in self.selected)
        selected = self._selected_codes - ignored
        kept = [d for d in diagnostics if d.code not in ignored]
        if not has_directive(script.source.text):
            return kept
        from dsql_lint.lint.suppress_comments import mark_checked, meta, parse_suppressions, suppressed

        suppressions, problems = parse_suppressions(script)
        if not suppressions and not problems:
            return kept
        mark_checked(suppressions, self.registered)
        remaining = [d for d in kept if not suppressed(d, suppressions)]
        found = list(meta(script, suppressions, problems, selected, self.registered))
        remaining += [d for d in found if not suppressed(d, suppressions, blanket=False)]
        remaining.sort(key=DIAGNOSTIC_ORDER)
        return remaining

    def apply_to_folder(self, diagnostics: list[Diagnostic], sources: dict[str, Source]) -> list[Diagnostic]:
        """Suppress findings of the folder pass (which runs after every file) by their files' comments."""
        from dsql_lint.frontend.script import build_script

        by_path: dict[str, list[Diagnostic]] = {}
        for d in diagnostics:
            by_path.setdefault(d.path, []).append(d)
        kept: list[Diagnostic] = []
        for path, found in by_path.items():
            ignored = self._per_file_ignored(path)
            found = [d for d in found if d.code not in ignored]
            source = sources.get(path)
            if source is not None and found and has_directive(source.text):
                from dsql_lint.lint.suppress_comments import parse_suppressions, suppressed

                suppressions, _ = parse_suppressions(build_script(source))
                found = [d for d in found if not suppressed(d, suppressions)]
            kept.extend(found)
        return kept

    def _per_file_ignored(self, path: str) -> set[str]:
        if not self.settings.per_file_ignores:
            return set()
        from dsql_lint.config.file import ignored_codes_for
        from dsql_lint.config.settings import resolve_selectors

        selectors = ignored_codes_for(path, self.settings)
        rules = resolve_selectors(selectors, tuple(self.registered), "per-file-ignores")
        return {r.code for r in rules}


def filter_suppressed(source: Source, diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Drop findings made after the rule pass (live mode) that comments or per-file ignores suppress.

    No findings about the suppressions themselves are added: the rule pass already judged them.
    """
    from dsql_lint.rules.registry import lint_rules

    return Suppressor([], settings, lint_rules()).apply_to_folder(diagnostics, {source.path: source})

"""The suppress step: inline suppression comments and per-file ignores, after the rules ran.

Three comments silence findings, each with codes or code prefixes and an optional reason
after `` -- ``:

- ``-- noqa: DSQL301`` at the end of a line covers findings that start on that line
  (a bare ``-- noqa`` covers every finding on the line);
- ``-- dsql-lint: ignore[DSQL301]`` on its own line covers the whole statement that
  follows (inside a statement: the next line; after code on a line: that line);
- ``-- dsql-lint: file-ignore[DSQL5]`` anywhere covers the whole file.

Suppressions that silence nothing are reported as DSQL003 (only when a rule they name was
selected, so that "unused" is certain), unknown codes and malformed directives as DSQL004,
and bare ``-- noqa`` as DSQL005 (off by default). ``noqa`` codes from other tools (sqlfluff's
``LT01``) are left alone: only codes in the namespaces of registered rules are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dsql_lint.lexer import Token, TokenKind
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Script
from dsql_lint.rule import Rule
from dsql_lint.settings import Settings
from dsql_lint.source import Source

UNUSED_CODE = "DSQL003"
INVALID_CODE = "DSQL004"
BLANKET_CODE = "DSQL005"
META_CODES = frozenset({UNUSED_CODE, INVALID_CODE, BLANKET_CODE})

_ANY_DIRECTIVE = re.compile(r"noqa|dsql-lint\s*:", re.IGNORECASE)
NOQA = re.compile(r"--\s*(?P<word>noqa)\b(?P<colon>\s*:)?", re.IGNORECASE)
_CODE = r"[A-Za-z][A-Za-z_]*[0-9]+"
NOQA_CODES = re.compile(rf"\s*(?P<codes>{_CODE}(?:\s*,\s*{_CODE}|[ \t]+{_CODE}(?![A-Za-z_]))*)")
DIRECTIVE = re.compile(r"(?:--|/\*)\s*dsql-lint\s*:\s*", re.IGNORECASE)
_DIRECTIVE_BODY = re.compile(r"(?P<kind>[A-Za-z][A-Za-z-]*)\s*(?:\[(?P<codes>[^\]\n]*)\])?")
_BRACKET_CODE = re.compile(r"[A-Za-z][A-Za-z_]*[0-9]*")
_ITEM = re.compile(r"[^\s,]+")
_LETTERS = re.compile(r"[A-Z]+")
KINDS = ("ignore", "file-ignore")


@dataclass
class CodeRef:
    """One code or prefix in a suppression comment, with its exact position."""

    code: str  # upper-cased
    start: int
    end: int
    used: bool = False

    def matches(self, code: str) -> bool:
        """True when this reference names ``code`` (exactly or as a prefix)."""
        return code.startswith(self.code)


@dataclass
class Suppression:
    """A parsed suppression comment and the offsets it covers."""

    kind: str  # "noqa", "ignore" or "file-ignore"
    comment: Token
    codes: list[CodeRef]
    keyword: tuple[int, int]  # the ``noqa`` / ``dsql-lint:`` marker, where blanket findings point
    line: int = 0  # for noqa comments: the line covered
    cover: tuple[int, int] | None = None  # ignore: offsets of the covered range
    blanket_used: bool = False
    checked: list[CodeRef] = field(default_factory=list)  # codes of our namespaces (noqa skips foreign ones)

    @property
    def blanket(self) -> bool:
        """True for a bare ``-- noqa`` that names no code."""
        return self.kind == "noqa" and not self.codes

    def covers(self, diagnostic: Diagnostic) -> bool:
        """True when ``diagnostic`` lies where this comment applies (codes aside)."""
        if self.kind == "file-ignore":
            return True
        if self.kind == "noqa":
            return diagnostic.line == self.line
        assert self.cover is not None
        return self.cover[0] <= diagnostic.start < self.cover[1]


@dataclass
class Problem:
    """A malformed suppression comment."""

    start: int
    end: int
    message: str


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end + 1


def _parse_noqa(comment: Token, line: int) -> Suppression | Problem | None:
    match = NOQA.search(comment.text)
    if match is None:
        return None
    keyword = (comment.start + match.start("word"), comment.start + match.end("word"))
    codes: list[CodeRef] = []
    if match.group("colon"):
        listed = NOQA_CODES.match(comment.text, match.end())
        if listed is None:
            return Problem(*keyword, "`noqa:` must be followed by rule codes, like `-- noqa: DSQL301`")
        base = comment.start + listed.start("codes")
        for item in re.finditer(_CODE, listed.group("codes")):
            codes.append(CodeRef(item.group().upper(), base + item.start(), base + item.end()))
    return Suppression("noqa", comment, codes, keyword, line=line)


def _parse_directive(comment: Token) -> Suppression | Problem | None:
    match = DIRECTIVE.match(comment.text)
    if match is None:
        return None
    keyword = (comment.start + match.start(), comment.start + match.end())
    body = _DIRECTIVE_BODY.match(comment.text, match.end())
    kind = body.group("kind").lower() if body else ""
    if body is None or kind not in KINDS:
        return Problem(
            *keyword,
            "unknown dsql-lint directive; write `-- dsql-lint: ignore[CODE]` or `-- dsql-lint: file-ignore[CODE]`",
        )
    if body.group("codes") is None or not body.group("codes").strip():
        return Problem(*keyword, f"`dsql-lint: {kind}` needs rule codes in brackets, like `{kind}[DSQL301]`")
    base = comment.start + body.start("codes")
    codes = []
    for item in _ITEM.finditer(body.group("codes")):
        if not _BRACKET_CODE.fullmatch(item.group()):
            return Problem(base + item.start(), base + item.end(), f"{item.group()!r} is not a rule code or prefix")
        codes.append(CodeRef(item.group().upper(), base + item.start(), base + item.end()))
    return Suppression(kind, comment, codes, keyword)


def _ignore_cover(script: Script, comment: Token) -> tuple[int, int]:
    """What ``-- dsql-lint: ignore[...]`` covers: see the module docstring."""
    text = script.source.text
    if not _at_line_start(text, comment.start):
        line_start = text.rfind("\n", 0, comment.start) + 1
        return line_start, _line_end(text, comment.start)
    for stmt in script.statements:
        if stmt.start < comment.start < stmt.end:
            after = next((t for t in stmt.tokens if t.start >= comment.end), None)
            if after is None:
                return comment.end, stmt.end
            return comment.end, _line_end(text, after.start)
        if stmt.start >= comment.end:
            return stmt.start, stmt.end
    return comment.end, comment.end


def has_directive(text: str) -> bool:
    """Whether ``text`` may hold a suppression comment (most files hold none: then nothing else is parsed)."""
    if text.isascii():  # exact for ASCII text, and a plain substring test is far cheaper than the regex
        lowered = text.lower()
        if "noqa" not in lowered and "dsql-lint" not in lowered:
            return False
    return _ANY_DIRECTIVE.search(text) is not None


def parse_suppressions(script: Script) -> tuple[list[Suppression], list[Problem]]:
    """Every suppression comment of ``script``, and every malformed one."""
    found: list[Suppression] = []
    problems: list[Problem] = []
    if not has_directive(script.source.text):
        return found, problems
    for token in script.tokens:
        if not token.is_comment:
            continue
        parsed = _parse_directive(token)
        if parsed is None and token.kind is TokenKind.COMMENT:
            parsed = _parse_noqa(token, script.source.position(token.start)[0])
        if isinstance(parsed, Problem):
            problems.append(parsed)
        elif parsed is not None:
            if parsed.kind == "ignore":
                parsed.cover = _ignore_cover(script, token)
            found.append(parsed)
    return found, problems


def _namespaces(rules: Sequence[type[Rule]]) -> set[str]:
    spaces = set()
    for rule in rules:
        match = _LETTERS.match(rule.code)
        if match:
            spaces.add(match.group())
    return spaces


def _unknowable(rule: type[Rule]) -> bool:
    """Rules whose findings the per-file pass cannot see, so "unused" cannot be decided there.

    Live-mode rules fire only when a cluster is asked; folder rules run after every file.
    """
    return rule.__module__.startswith("dsql_lint.live") or getattr(rule, "scope", "") == "folder"


@dataclass
class Suppressor:
    """Applies per-file ignores and suppression comments for one set of selected rules."""

    selected: Sequence[type[Rule]]
    settings: Settings
    registered: Sequence[type[Rule]]
    _selected_codes: frozenset[str] | None = field(default=None, init=False, repr=False)

    def apply(self, script: Script, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics that remain, plus findings about the suppressions themselves."""
        ignored = self._per_file_ignored(script.source.path)
        if self._selected_codes is None:
            self._selected_codes = frozenset(r.code for r in self.selected)
        selected = self._selected_codes - ignored
        kept = [d for d in diagnostics if d.code not in ignored]
        suppressions, problems = parse_suppressions(script)
        if not suppressions and not problems:
            return kept
        self._mark_checked(suppressions)
        remaining = [d for d in kept if not _suppressed(d, suppressions)]
        meta = list(self._meta(script, suppressions, problems, selected))
        remaining += [d for d in meta if not _suppressed(d, suppressions, blanket=False)]
        remaining.sort(key=Diagnostic.sort_key)
        return remaining

    def apply_to_folder(self, diagnostics: list[Diagnostic], sources: dict[str, Source]) -> list[Diagnostic]:
        """Suppress findings of the folder pass (which runs after every file) by their files' comments."""
        from dsql_lint.script import build_script

        by_path: dict[str, list[Diagnostic]] = {}
        for d in diagnostics:
            by_path.setdefault(d.path, []).append(d)
        kept: list[Diagnostic] = []
        for path, found in by_path.items():
            ignored = self._per_file_ignored(path)
            found = [d for d in found if d.code not in ignored]
            source = sources.get(path)
            if source is not None and found and has_directive(source.text):
                suppressions, _ = parse_suppressions(build_script(source))
                found = [d for d in found if not _suppressed(d, suppressions)]
            kept.extend(found)
        return kept

    def _per_file_ignored(self, path: str) -> set[str]:
        if not self.settings.per_file_ignores:
            return set()
        from dsql_lint.config import ignored_codes_for
        from dsql_lint.settings import resolve_selectors

        selectors = ignored_codes_for(path, self.settings)
        rules = resolve_selectors(selectors, tuple(self.registered), "per-file-ignores")
        return {r.code for r in rules}

    def _mark_checked(self, suppressions: Iterable[Suppression]) -> None:
        spaces = _namespaces(self.registered)
        for sup in suppressions:
            if sup.kind == "noqa":
                sup.checked = [c for c in sup.codes if (m := _LETTERS.match(c.code)) and m.group() in spaces]
            else:
                sup.checked = list(sup.codes)

    def _meta(
        self, script: Script, suppressions: list[Suppression], problems: list[Problem], selected: frozenset[str]
    ) -> Iterable[Diagnostic]:
        from dsql_lint.rules.engine.blanket_suppression import BlanketSuppression
        from dsql_lint.rules.engine.invalid_suppression import InvalidSuppression
        from dsql_lint.rules.engine.unused_suppression import UnusedSuppression

        source = script.source
        known = list(self.registered)
        if INVALID_CODE in selected:
            invalid = InvalidSuppression()
            for problem in problems:
                yield invalid.report(source, problem.start, problem.end, message=problem.message)
            for sup in suppressions:
                for ref in sup.checked:
                    if not any(ref.matches(r.code) for r in known):
                        yield invalid.report(
                            source,
                            ref.start,
                            ref.end,
                            message=f"{ref.code} in this suppression names no rule; `dsql-lint rules` lists them",
                        )
        if UNUSED_CODE in selected:
            unused = UnusedSuppression()
            for sup in suppressions:
                if sup.blanket and not sup.blanket_used:
                    yield unused.report(
                        source,
                        *sup.keyword,
                        message="this `noqa` suppresses nothing on its line",
                        fix=_remove_comment(script, sup, "Remove the unused noqa"),
                    )
                for ref in sup.checked:
                    named = [r for r in known if ref.matches(r.code) and r.code in selected]
                    if ref.used or not named or any(_unknowable(r) for r in named):
                        continue
                    yield unused.report(
                        source,
                        ref.start,
                        ref.end,
                        message=f"suppression of {ref.code} is unused: {_where(sup)} has no {ref.code} finding",
                        fix=_remove_code(script, sup, ref),
                    )
        if BLANKET_CODE in selected:
            blanket = BlanketSuppression()
            for sup in suppressions:
                if sup.blanket:
                    yield blanket.report(
                        source, *sup.keyword, message="`noqa` without codes suppresses every rule on this line"
                    )


def _where(sup: Suppression) -> str:
    return {"noqa": "this line", "ignore": "the statement it covers", "file-ignore": "this file"}[sup.kind]


def _suppressed(diagnostic: Diagnostic, suppressions: Iterable[Suppression], blanket: bool = True) -> bool:
    """True when a suppression covers ``diagnostic``; marks what was used.

    Findings about suppressions pass ``blanket=False``: a bare ``noqa`` must not hide
    the warning about itself.
    """
    hit = False
    for sup in suppressions:
        if not sup.covers(diagnostic):
            continue
        if sup.blanket:
            if not blanket:
                continue
            sup.blanket_used = True
            hit = True
            continue
        for ref in sup.codes:
            if ref.matches(diagnostic.code):
                ref.used = True
                hit = True
    return hit


def _remove_comment(script: Script, sup: Suppression, title: str) -> Fix | None:
    """Remove a whole suppression comment: its line when it stands alone, else it and the blanks before it."""
    text = script.source.text
    comment = sup.comment
    if sup.kind == "noqa" and not re.match(r"--\s*noqa", comment.text, re.IGNORECASE):
        return None  # the noqa sits inside a longer comment: leave the words to a person
    start, end = comment.start, comment.end
    if _at_line_start(text, start) and not text[end : _line_end(text, end)].strip():
        start = text.rfind("\n", 0, start) + 1
        end = _line_end(text, end)
    else:
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return Fix((Edit(start, end, ""),), FixSafety.SAFE, title)


def _remove_code(script: Script, sup: Suppression, ref: CodeRef) -> Fix | None:
    """Remove one code from a suppression, or the whole comment when it is the only code."""
    if len(sup.codes) == 1:
        return _remove_comment(script, sup, f"Remove the unused suppression of {ref.code}")
    index = sup.codes.index(ref)
    if index + 1 < len(sup.codes):
        start, end = ref.start, sup.codes[index + 1].start
    else:
        start, end = sup.codes[index - 1].end, ref.end
    return Fix((Edit(start, end, ""),), FixSafety.SAFE, f"Remove {ref.code} from the suppression")


def filter_suppressed(source: Source, diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Drop findings made after the rule pass (live mode) that comments or per-file ignores suppress.

    No findings about the suppressions themselves are added: the rule pass already judged them.
    """
    from dsql_lint.registry import lint_rules

    return Suppressor([], settings, lint_rules()).apply_to_folder(diagnostics, {source.path: source})

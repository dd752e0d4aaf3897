"""Suppression comments: parsing them, matching findings to them, and the findings about them.

:mod:`dsql_lint.lint.suppress` imports this module only for a file that holds a suppression
comment (most hold none), so a run over plain files never compiles these patterns or
creates these classes. The comments themselves are described in :mod:`dsql_lint.lint.suppress`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dsql_lint.lint.suppress import BLANKET_CODE, INVALID_CODE, UNUSED_CODE, has_directive
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Script
from dsql_lint.records import NEW, Record
from dsql_lint.rules.api import Rule
from dsql_lint.text.lexer import Token, TokenKind

NOQA = re.compile(r"--\s*(?P<word>noqa)\b(?P<colon>\s*:)?", re.IGNORECASE)
_CODE = r"[A-Za-z][A-Za-z_]*[0-9]+"
NOQA_CODES = re.compile(rf"\s*(?P<codes>{_CODE}(?:\s*,\s*{_CODE}|[ \t]+{_CODE}(?![A-Za-z_]))*)")
DIRECTIVE = re.compile(r"(?:--|/\*)\s*dsql-lint\s*:\s*", re.IGNORECASE)
_DIRECTIVE_BODY = re.compile(r"(?P<kind>[A-Za-z][A-Za-z-]*)\s*(?:\[(?P<codes>[^\]\n]*)\])?")
_BRACKET_CODE = re.compile(r"[A-Za-z][A-Za-z_]*[0-9]*")
_ITEM = re.compile(r"[^\s,]+")
_LETTERS = re.compile(r"[A-Z]+")
KINDS = ("ignore", "file-ignore", "disable", "enable")


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class CodeRef(Record):
    """One code or prefix in a suppression comment, with its exact position."""

    code: str  # upper-cased
    start: int
    end: int
    used: bool = False
    #: In a ``disable``: where the ``enable`` that closes this code starts (-1: the end of the file).
    until: int = -1
    #: In a ``disable``: the ``enable`` comment and its reference that close this code, if any.
    closer: tuple[Suppression, CodeRef] | None = None

    def __init__(
        self,
        code: str,
        start: int,
        end: int,
        used: bool = False,
        until: int = -1,
        closer: tuple[Suppression, CodeRef] | None = None,
    ) -> None:
        self.code = code
        self.start = start
        self.end = end
        self.used = used
        self.until = until
        self.closer = closer

    def matches(self, code: str) -> bool:
        """True when this reference names ``code`` (exactly or as a prefix)."""
        return code.startswith(self.code)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Suppression(Record):
    """A parsed suppression comment and the offsets it covers."""

    kind: str  # "noqa", "ignore", "file-ignore", "disable" or "enable"
    comment: Token
    codes: list[CodeRef]
    keyword: tuple[int, int]  # the ``noqa`` / ``dsql-lint:`` marker, where blanket findings point
    line: int = 0  # for noqa comments: the line covered
    cover: tuple[int, int] | None = None  # ignore: offsets of the covered range
    blanket_used: bool = False
    checked: list[CodeRef] = field(default_factory=list)  # codes of our namespaces (noqa skips foreign ones)

    def __init__(
        self,
        kind: str,
        comment: Token,
        codes: list[CodeRef],
        keyword: tuple[int, int],
        line: int = 0,
        cover: tuple[int, int] | None = None,
        blanket_used: bool = False,
        checked: list[CodeRef] = NEW,
    ) -> None:
        self.kind = kind
        self.comment = comment
        self.codes = codes
        self.keyword = keyword
        self.line = line
        self.cover = cover
        self.blanket_used = blanket_used
        self.checked = [] if checked is NEW else checked

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
        if self.kind == "disable":  # each code up to its own ``enable`` (see suppressed())
            return diagnostic.start >= self.comment.end
        if self.kind == "enable":
            return False
        assert self.cover is not None
        return self.cover[0] <= diagnostic.start < self.cover[1]


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Problem(Record):
    """A malformed suppression comment."""

    start: int
    end: int
    message: str

    def __init__(self, start: int, end: int, message: str) -> None:
        self.start = start
        self.end = end
        self.message = message


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
            "unknown dsql-lint directive; write `-- dsql-lint: ignore[CODE]`, `file-ignore[CODE]`, "
            "`disable[CODE]` or `enable[CODE]`",
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
    _close_ranges(found, problems)
    return found, problems


def _close_ranges(suppressions: list[Suppression], problems: list[Problem]) -> None:
    """Pair each ``enable`` code with the open ``disable`` of the same code before it.

    A ``disable`` code runs from its comment to the next ``enable`` naming the same code (as
    written, case aside), or to the end of the file. An ``enable`` code that closes nothing is
    a problem (DSQL004), and is dropped from its comment.
    """
    open_refs: list[tuple[Suppression, CodeRef]] = []
    for sup in suppressions:  # in text order
        if sup.kind == "disable":
            open_refs += [(sup, ref) for ref in sup.codes]
        elif sup.kind == "enable":
            closing = []
            for ref in sup.codes:
                matched = [pair for pair in open_refs if pair[1].code == ref.code]
                if not matched:
                    message = f"`enable[{ref.code}]` closes nothing: no `disable[{ref.code}]` is open before it"
                    near = sorted(
                        {r.code for _, r in open_refs if ref.code.startswith(r.code) or r.code.startswith(ref.code)}
                    )
                    if near:
                        message += f" (an `enable` names a code as its `disable` wrote it: {', '.join(near)} is open)"
                    problems.append(Problem(ref.start, ref.end, message))
                    continue
                for _, opened in matched:
                    opened.until = sup.comment.start
                    opened.closer = (sup, ref)
                open_refs = [pair for pair in open_refs if pair[1].code != ref.code]
                closing.append(ref)
            sup.codes = closing


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
    # A lazily loaded built-in (dsql_lint.rules.catalog's stand-in) names its real module in ``target``:
    # without it, a live rule looked judgeable whenever the catalog, not the module, was loaded.
    module = getattr(rule, "target", "") or rule.__module__
    return module.startswith("dsql_lint.live") or getattr(rule, "scope", "") == "folder"


def mark_checked(suppressions: Iterable[Suppression], registered: Sequence[type[Rule]]) -> None:
    """Note which codes of each suppression are in the namespaces of registered rules (the ones judged)."""
    spaces = _namespaces(registered)
    for sup in suppressions:
        if sup.kind == "noqa":
            sup.checked = [c for c in sup.codes if (m := _LETTERS.match(c.code)) and m.group() in spaces]
        elif sup.kind == "enable":
            sup.checked = []  # each of its codes closes a ``disable`` of the same code, which is judged
        else:
            sup.checked = list(sup.codes)


def meta(
    script: Script,
    suppressions: list[Suppression],
    problems: list[Problem],
    selected: frozenset[str],
    registered: Sequence[type[Rule]],
) -> Iterable[Diagnostic]:
    """Findings about the suppressions themselves: invalid (DSQL004), unused (DSQL003), blanket (DSQL005)."""
    from dsql_lint.rules.engine.blanket_suppression import BlanketSuppression
    from dsql_lint.rules.engine.invalid_suppression import InvalidSuppression
    from dsql_lint.rules.engine.unused_suppression import UnusedSuppression

    source = script.source
    known = list(registered)
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
                    message=f"suppression of {ref.code} is unused: {_where(sup, ref)} has no {ref.code} finding",
                    fix=_remove_code(script, sup, ref, suppressions),
                )
    if BLANKET_CODE in selected:
        blanket = BlanketSuppression()
        for sup in suppressions:
            if sup.blanket:
                yield blanket.report(
                    source, *sup.keyword, message="`noqa` without codes suppresses every rule on this line"
                )


def _where(sup: Suppression, ref: CodeRef) -> str:
    if sup.kind == "disable":
        return "the rest of the file" if ref.closer is None else f"the range up to its `enable[{ref.code}]`"
    return {"noqa": "this line", "ignore": "the statement it covers", "file-ignore": "this file"}[sup.kind]


def suppressed(diagnostic: Diagnostic, suppressions: Iterable[Suppression], blanket: bool = True) -> bool:
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
        for ref in _refs_naming(sup, diagnostic.code):
            if ref.until < 0 or diagnostic.start < ref.until:
                ref.used = True
                hit = True
    return hit


def _refs_naming(sup: Suppression, code: str) -> list[CodeRef]:
    """The codes of ``sup`` that name ``code`` (exactly or as a prefix), in their order.

    A suppression's codes are indexed once by their text, so a comment listing thousands of
    codes costs a few dictionary look-ups per finding (the prefixes of ``code``), not a pass
    over every code: 10,000 codes in one ``noqa`` took 19 s and 2 GB.
    """
    codes = sup.codes
    if len(codes) == 1:  # the usual comment names one code
        ref = codes[0]
        return [ref] if code.startswith(ref.code) else []
    index: dict[str, list[tuple[int, CodeRef]]] | None = sup.__dict__.get("_by_code")
    if index is None:
        index = {}
        for i, ref in enumerate(codes):
            index.setdefault(ref.code, []).append((i, ref))
        sup.__dict__["_by_code"] = index
    found: list[tuple[int, CodeRef]] = []
    for end in range(1, len(code) + 1):
        refs = index.get(code[:end])
        if refs:
            found.extend(refs)
    if len(found) > 1:
        found.sort(key=lambda item: item[0])
    return [ref for _, ref in found]


def _remove_comment(script: Script, sup: Suppression, title: str) -> Fix | None:
    """Remove a whole suppression comment: its line when it stands alone, else it and the blanks before it."""
    text = script.source.text
    comment = sup.comment
    if sup.kind == "noqa" and not re.match(r"--\s*noqa", comment.text, re.IGNORECASE):
        return None  # the noqa sits inside a longer comment: leave the words to a person
    if _words_after_codes(sup):
        return None  # words follow the codes (`-- noqa: DSQL101 why`): the user's, not ours to drop
    start, end = comment.start, comment.end
    if _at_line_start(text, start) and not text[end : _line_end(text, end)].strip():
        start = text.rfind("\n", 0, start) + 1
        end = _line_end(text, end)
    else:
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return Fix((Edit(start, end, ""),), FixSafety.SAFE, title)


def _words_after_codes(sup: Suppression) -> bool:
    """True when the comment goes on after its suppression (its codes, or the bare ``noqa``)."""
    text = sup.comment.text
    if sup.kind == "noqa":
        match = NOQA.search(text)
        after = match.end() if match else len(text)
        listed = NOQA_CODES.match(text, after) if match and match.group("colon") else None
        if listed is not None:
            after = listed.end()
    else:
        close = text.find("]", sup.keyword[1] - sup.comment.start)
        after = len(text) if close == -1 else close + 1
    return bool(text[after:].strip(" \t\r*/"))


def _remove_code(
    script: Script, sup: Suppression, ref: CodeRef, suppressions: Sequence[Suppression] = ()
) -> Fix | None:
    """Remove one code from a suppression, or the whole comment when it is the only code.

    For a ``disable`` code, the same code goes from the ``enable`` that closes it too, so that no
    ``enable`` is left closing nothing. When that ``enable`` also closes another ``disable`` of
    the code, it stays, and the fix rewrites its code as it is: an edit that changes nothing but
    overlaps the other ``disable``'s fix, so the two are never applied in the same pass (each
    would keep the ``enable`` for the other), and the last one left removes it.
    """
    fix = _remove_own_code(script, sup, ref)
    if fix is None or ref.closer is None:
        return fix
    enable, closing = ref.closer
    shared = any(
        other is not ref and other.closer is not None and other.closer[1] is closing
        for s in suppressions
        if s.kind == "disable"
        for other in s.codes
    )
    if shared:
        text = script.source.text
        guard = Edit(closing.start, closing.end, text[closing.start : closing.end])
        return Fix(tuple(sorted((*fix.edits, guard), key=lambda e: e.start)), fix.safety, fix.title)
    other_fix = _remove_own_code(script, enable, closing)
    if other_fix is None:
        return fix
    edits = tuple(sorted(fix.edits + other_fix.edits, key=lambda e: e.start))
    return Fix(edits, fix.safety, f"{fix.title}, and from its enable")


def _remove_own_code(script: Script, sup: Suppression, ref: CodeRef) -> Fix | None:
    if len(sup.codes) == 1:
        return _remove_comment(script, sup, f"Remove the unused suppression of {ref.code}")
    positions: dict[int, int] | None = sup.__dict__.get("_positions")
    if positions is None:  # by identity, built once: list.index compared every field of every code
        positions = sup.__dict__["_positions"] = {id(code): i for i, code in enumerate(sup.codes)}
    index = positions[id(ref)]
    if index + 1 < len(sup.codes):
        start, end = ref.start, sup.codes[index + 1].start
    else:
        start, end = sup.codes[index - 1].end, ref.end
    return Fix((Edit(start, end, ""),), FixSafety.SAFE, f"Remove {ref.code} from the suppression")

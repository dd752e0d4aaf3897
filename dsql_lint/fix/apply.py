"""Apply the fixes rules declare to the original text: edits on spans, never a re-print.

A fix is a list of :class:`~dsql_lint.model.Edit` (character offsets into the
source). Everything outside the edited spans stays byte-for-byte: comments,
layout, case and quoting. Applying works in passes:

1. lint, keep the findings whose fix is allowed (safe ones, plus unsafe ones with
   ``--unsafe-fixes``);
2. choose, in position order, fixes whose edits do not overlap or touch an edit
   already chosen (the others are deferred to the next pass, which re-lints the
   new text and sees them again with fresh offsets);
3. apply the chosen edits at once; if the result has more statements that fail
   to parse than before, try each fix alone and roll back the ones that break
   parsing (they are reported as not fixed and never retried);
4. repeat until no allowed fix is left (a fixpoint) or :data:`MAX_PASSES` passes
   ran, or the text comes back to an earlier state (two rules undoing each
   other).

Because the loop stops only at a fixpoint, running ``--fix`` again changes
nothing. Inserted text follows the file's newline style (CRLF files get CRLF).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety
from dsql_lint.records import NEW, Record
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    from dsql_lint.lint.engine import Linter
    from dsql_lint.migrations import MigrationFile
    from dsql_lint.run.lint import RunResult

#: Passes after which fixing stops even if fixes are still offered (rules that oscillate).
MAX_PASSES = 10

UTF8_BOM = b"\xef\xbb\xbf"

#: Lints a source with the run's settings: its findings, and how many of its statements do not parse.
Analyse = Callable[[Source], tuple[list[Diagnostic], int]]


def is_allowed(fix: Fix | None, unsafe: bool) -> bool:
    """True if ``fix`` may be applied: safe fixes always, unsafe ones only when ``unsafe``."""
    if fix is None or not fix.edits:
        return False
    return fix.safety is FixSafety.SAFE or unsafe


def is_hidden(fix: Fix | None, unsafe: bool) -> bool:
    """True for an unsafe fix that is not applied because ``--unsafe-fixes`` is off."""
    return fix is not None and bool(fix.edits) and fix.safety is FixSafety.UNSAFE and not unsafe


def edits_conflict(a: Edit, b: Edit) -> bool:
    """True if two edits overlap, or touch where one of them is an insertion (order would be ambiguous)."""
    if a.start < b.end and b.start < a.end:
        return True
    insertion = a.start == a.end or b.start == b.end
    return insertion and a.start <= b.end and b.start <= a.end


def fixes_conflict(a: Fix, b: Fix) -> bool:
    """True if any edit of ``a`` conflicts with any edit of ``b``."""
    return any(edits_conflict(x, y) for x in a.edits for y in b.edits)


def is_well_formed(fix: Fix, length: int) -> bool:
    """True if the fix's edits lie inside a text of ``length`` characters and do not overlap each other."""
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    for i, edit in enumerate(edits):
        if not 0 <= edit.start <= edit.end <= length:
            return False
        if i and edits_conflict(edits[i - 1], edit):
            return False
    return True


def newline_style(text: str) -> str:
    """``\\r\\n`` when every line of ``text`` ends with CRLF, else ``\\n``."""
    lf = text.count("\n")
    return "\r\n" if lf and text.count("\r\n") == lf else "\n"


def _adapt_newlines(text: str, newline: str) -> str:
    if newline == "\n" or "\n" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\n", newline)


def adapted_edits(text: str, fixes: list[Fix]) -> list[Edit]:
    """The edits of ``fixes`` sorted by position, their inserted text in ``text``'s newline style."""
    newline = newline_style(text)
    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: (e.start, e.end))
    return [Edit(e.start, e.end, _adapt_newlines(e.text, newline)) for e in edits]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-conflicting ``edits`` (sorted by position) applied."""
    parts = []
    pos = 0
    for edit in edits:
        parts.append(text[pos : edit.start])
        parts.append(edit.text)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """``text`` with the edits of ``fixes`` applied (they must not conflict with each other)."""
    return apply_edits(text, adapted_edits(text, fixes))


#: ``(starts, ends, deltas before each edit)`` of sorted, disjoint edits: :func:`shift_offset` in a bisection.
ShiftTable = tuple[list[int], list[int], list[int]]


def shift_table(edits: list[Edit]) -> ShiftTable:
    """The table :func:`shift_offset` bisects, built once for many offsets."""
    deltas = [0]
    for edit in edits:
        deltas.append(deltas[-1] + len(edit.text) - (edit.end - edit.start))
    return [e.start for e in edits], [e.end for e in edits], deltas


def shift_offset(offset: int, edits: list[Edit], table: ShiftTable | None = None) -> int:
    """Where ``offset`` of a text lands after ``edits`` (sorted, applied at once); inside an edit: its start.

    With ``table`` (:func:`shift_table` of the same edits) it is a bisection instead of a pass over
    every edit: moving every finding of a file with thousands of fixes was quadratic.
    """
    if table is not None:
        starts, ends, deltas = table
        k = bisect.bisect_right(ends, offset)  # the edits that end at or before the offset
        if k < len(starts) and starts[k] < offset:
            return starts[k] + deltas[k]
        return offset + deltas[k]
    delta = 0
    for edit in edits:
        if edit.end <= offset:
            delta += len(edit.text) - (edit.end - edit.start)
        elif edit.start < offset:
            return edit.start + delta
        else:
            break
    return offset + delta


def _fix_key(text: str, d: Diagnostic) -> tuple[object, ...]:
    """An identity for a fix that survives offsets moving when other fixes are applied."""
    assert d.fix is not None
    spans = tuple((text[e.start : e.end], e.text) for e in d.fix.edits)
    return (d.code, d.message, d.fix.title, spans)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _Chosen(Record):
    fix: Fix
    diagnostics: list[Diagnostic]

    def __init__(self, fix: Fix, diagnostics: list[Diagnostic]) -> None:
        self.fix = fix
        self.diagnostics = diagnostics


def choose_fixes(candidates: list[Diagnostic], length: int) -> list[_Chosen]:
    """Fixes to apply together, in position order: the first of conflicting fixes wins, the rest wait.

    Two findings that carry the very same edits share one fix (both count as fixed).
    """
    chosen: list[_Chosen] = []
    by_edits: dict[frozenset[Edit], _Chosen] = {}
    taken: list[tuple[int, int, Edit]] = []  # every chosen edit, sorted: chosen edits never overlap
    for d in sorted(candidates, key=lambda d: (d.start, d.end, d.code)):
        fix = d.fix
        if fix is None or not is_well_formed(fix, length):
            continue
        key = frozenset(fix.edits)
        same = by_edits.get(key)
        if same is not None:
            same.diagnostics.append(d)
            continue
        if any(_conflicts_with_taken(edit, taken) for edit in fix.edits):
            continue
        by_edits[key] = choice = _Chosen(fix, [d])
        chosen.append(choice)
        for edit in fix.edits:
            bisect.insort(taken, (edit.start, edit.end, edit), key=lambda item: (item[0], item[1]))
    return chosen


def _conflicts_with_taken(edit: Edit, taken: list[tuple[int, int, Edit]]) -> bool:
    """:func:`edits_conflict` against the chosen edits near ``edit`` only (they are sorted and disjoint).

    Comparing each candidate with every chosen fix made choosing thousands of fixes quadratic.
    """
    lo = bisect.bisect_left(taken, edit.start, key=lambda item: item[0])
    hi = bisect.bisect_right(taken, edit.end, key=lambda item: item[0])
    near = range(max(lo - 2, 0), min(hi + 2, len(taken)))
    return any(edits_conflict(taken[i][2], edit) for i in near)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class FixOutcome(Record):
    """What fixing one source did."""

    original: Source
    source: Source  # the fixed text (``original`` itself when nothing changed)
    fixed: list[Diagnostic] = field(default_factory=list)  # findings whose fix was applied
    rolled_back: list[Diagnostic] = field(default_factory=list)  # fixes that broke parsing, not applied
    remaining: list[Diagnostic] = field(default_factory=list)  # findings on the fixed text
    applied: list[list[Edit]] = field(default_factory=list)  # the edits of each pass, in that pass's offsets
    passes: int = 0
    stopped_early: bool = False  # the pass limit or an oscillation stopped the loop

    def __init__(
        self,
        original: Source,
        source: Source,
        fixed: list[Diagnostic] = NEW,
        rolled_back: list[Diagnostic] = NEW,
        remaining: list[Diagnostic] = NEW,
        applied: list[list[Edit]] = NEW,
        passes: int = 0,
        stopped_early: bool = False,
    ) -> None:
        self.original = original
        self.source = source
        self.fixed = [] if fixed is NEW else fixed
        self.rolled_back = [] if rolled_back is NEW else rolled_back
        self.remaining = [] if remaining is NEW else remaining
        self.applied = [] if applied is NEW else applied
        self.passes = passes
        self.stopped_early = stopped_early

    @property
    def changed(self) -> bool:
        """True if the fixed text differs from the original."""
        return self.source.text != self.original.text

    def shift(self, offset: int) -> int:
        """Where an offset of the original text is in the fixed text."""
        tables: list[ShiftTable] | None = self.__dict__.get("_tables")
        if tables is None or len(tables) != len(self.applied):
            tables = self.__dict__["_tables"] = [shift_table(edits) for edits in self.applied]
        for edits, table in zip(self.applied, tables, strict=True):
            offset = shift_offset(offset, edits, table)
        return offset


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _Trial(Record):
    batch: list[_Chosen]
    edits: list[Edit]
    source: Source
    diagnostics: list[Diagnostic]
    failures: int

    def __init__(
        self,
        batch: list[_Chosen],
        edits: list[Edit],
        source: Source,
        diagnostics: list[Diagnostic],
        failures: int,
    ) -> None:
        self.batch = batch
        self.edits = edits
        self.source = source
        self.diagnostics = diagnostics
        self.failures = failures


def _try(current: Source, batch: list[_Chosen], analyse: Analyse) -> _Trial:
    edits = adapted_edits(current.text, [c.fix for c in batch])
    text = apply_edits(current.text, edits)
    # The blanked byte-order mark stays a mark while it is still at offset 0.
    source = Source(current.path, text, bom=current.bom and text[:1] == " ")
    found, failures = analyse(source)
    return _Trial(batch, edits, source, found, failures)


def fix_source(
    source: Source,
    analyse: Analyse,
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Apply allowed fixes to ``source`` until none is left (see the module docstring).

    ``analyse`` lints a source with the run's settings and also returns how many of
    its statements do not parse.
    """
    current = source
    found, failures = analyse(current)
    outcome = FixOutcome(original=source, source=source)
    rejected: set[tuple[object, ...]] = set()
    seen = {current.text}
    while True:
        candidates = [d for d in found if is_allowed(d.fix, unsafe) and _fix_key(current.text, d) not in rejected]
        batch = choose_fixes(candidates, len(current.text))
        if not batch:
            break
        if outcome.passes >= max_passes:
            outcome.stopped_early = True
            break
        outcome.passes += 1
        trial = _try(current, batch, analyse)
        if trial.failures > failures:
            batch = _drop_breaking(current, batch, failures, analyse, rejected, outcome)
            if not batch:
                continue
            trial = _try(current, batch, analyse)
            if trial.failures > failures:  # each survivor parses alone; together they do not
                trial = _try(current, batch[:1], analyse)
        if trial.source.text in seen:
            outcome.stopped_early = True  # the fixes undo each other: keep the current text
            break
        seen.add(trial.source.text)
        for chosen in trial.batch:
            outcome.fixed.extend(chosen.diagnostics)
        outcome.applied.append(trial.edits)
        current, found, failures = trial.source, trial.diagnostics, trial.failures
    outcome.source = current if current.text != source.text else source
    outcome.remaining = found
    return outcome


def _drop_breaking(
    current: Source,
    batch: list[_Chosen],
    failures: int,
    analyse: Analyse,
    rejected: set[tuple[object, ...]],
    outcome: FixOutcome,
) -> list[_Chosen]:
    """The fixes of ``batch`` that keep every statement parsing when applied alone; roll back the others."""
    kept = []
    for chosen in batch:
        if _try(current, [chosen], analyse).failures > failures:
            for d in chosen.diagnostics:
                rejected.add(_fix_key(current.text, d))
                outcome.rolled_back.append(d)
        else:
            kept.append(chosen)
    return kept


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file (``--- path`` / ``+++ path``), empty when nothing changed."""
    if before == after:
        return ""
    import difflib  # only for --diff

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=path, tofile=path
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def encode_like(path: Path, text: str) -> bytes:
    """``text`` as UTF-8, with the byte-order mark the file on disk had (Source blanks it to a space)."""
    data = text.encode("utf-8")
    try:
        with path.open("rb") as handle:
            had_bom = handle.read(3) == UTF8_BOM
    except OSError:
        had_bom = False
    if not had_bom:
        return data
    if data.startswith(b" "):
        return UTF8_BOM + data[1:]
    return UTF8_BOM + data


class NotRewritten(OSError):
    """A file that dsql-lint refuses to rewrite; ``strerror`` says why in a few words."""


def write_atomically(path: Path, data: bytes, linted_text: str | None = None) -> None:
    """Replace the file at ``path`` (a symlink's target) with ``data``: temp file, then rename.

    The new file keeps the old one's permission bits and, when the run may set them (root),
    its owner and group. Nothing is written when the content is already ``data``, so an
    unchanged file keeps its mtime. Nothing a user wrote is overwritten: a read-only file, a
    file with other hard links (a rename would cut them off) and, with ``linted_text``, a file
    whose text is no longer the text that was linted (edited while dsql-lint ran) raise
    :class:`NotRewritten` and stay as they are. A run stopped with SIGTERM or Ctrl-C while
    writing removes its temporary file.
    """
    target = Path(os.path.realpath(path))
    try:
        current = target.read_bytes()
    except OSError:
        current = None
    if current == data:
        return
    st = target.stat()
    if linted_text is not None and current is not None:
        from dsql_lint.text.source import decode

        try:
            changed = decode(os.fspath(path), current).text != linted_text
        except Exception:  # not text any more: changed too
            changed = True
        if changed:
            raise NotRewritten(0, "it changed on disk while dsql-lint ran")
    if not st.st_mode & stat.S_IWUSR:
        raise NotRewritten(0, "it is read-only")
    if st.st_nlink > 1:
        raise NotRewritten(0, f"it has {st.st_nlink} hard links, which rewriting it would break")
    mode = stat.S_IMODE(st.st_mode)
    from dsql_lint.text.disk import create_temporary

    _remove_stale_temporaries(target)
    handle, tmp_name = create_temporary(os.fspath(target.parent), f".{target.name}.", ".dsql-lint-fix")
    tmp = Path(tmp_name)
    with _removed_on_termination(tmp):
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                # Not root: the file is the user's own anyway, or they could not write it.
                with contextlib.suppress(PermissionError):
                    os.chown(tmp, st.st_uid, st.st_gid)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


#: A temporary file of ours older than this was left by a run that was killed (SIGKILL cannot be
#: caught); a run still writing one touches it within seconds.
STALE_SECONDS = 600


def _remove_stale_temporaries(target: Path) -> None:
    """Remove ``.NAME.<hex>.dsql-lint-fix`` files beside ``target`` that a killed run left behind."""
    import time

    prefix = f".{target.name}."
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".dsql-lint-fix")]
    except OSError:
        return
    now = time.time()
    for name in names:
        path = target.parent / name
        with contextlib.suppress(OSError):
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_SECONDS:
                path.unlink()


class _removed_on_termination:
    """While writing ``tmp``, turn SIGTERM into an exception so the temporary file is removed."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.previous: object = None

    def __enter__(self) -> None:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum: int, _frame: object) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        self.previous = signal.signal(signal.SIGTERM, stop)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)  # type: ignore[arg-type]


def analyser(linter: Linter, migration: MigrationFile | None = None) -> Analyse:
    """The :data:`Analyse` function of one file of a run: its migration tool's shape, the per-file rules.

    Folder rules (which need every file of the run) are not re-run while fixing;
    :func:`fix_run` carries their findings over to the fixed text.
    """

    def analyse(source: Source) -> tuple[list[Diagnostic], int]:
        if migration is None:
            script, found = linter.lint_source(source)
        else:
            script, _ = linter.build(source, migration)
            found = linter.lint_script(script)
        return found, sum(1 for stmt in script.statements if stmt.parse_failure is not None)

    return analyse


def _moved(d: Diagnostic, outcome: FixOutcome) -> Diagnostic:
    """A finding of the original text placed on the fixed text (its fix dropped: its offsets are stale)."""
    source = outcome.source
    start, end = outcome.shift(d.start), outcome.shift(d.end)
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return replace(
        d, start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column,
        fix=None, source=source,
    )  # fmt: skip


def fix_run(result: RunResult, linter: Linter, *, unsafe: bool = False) -> list[FixOutcome]:
    """Fix every linted file of ``result`` in memory and update it to describe the fixed text.

    Each file result then holds the findings that remain, the fixed source, the
    findings fixed and the fixes rolled back. Findings of folder rules (history
    across migration files) are not recomputed: they are moved to their place in
    the fixed text. Nothing is written: see :func:`write_fixed` and :func:`unified_diff`.
    """
    folder_codes = {r.code for r in linter.rules if r.scope == "folder"}
    outcomes = []
    for file in result.files:
        if file.source is None or file.error is not None:
            continue
        if not any(is_allowed(d.fix, unsafe) for d in file.diagnostics):
            continue
        migration = file.migration
        carried = [d for d in file.diagnostics if d.code in folder_codes] if migration is not None else []
        outcome = fix_source(file.source, analyser(linter, migration), unsafe=unsafe)
        moved = [_moved(d, outcome) for d in carried]
        file.diagnostics = sorted(outcome.remaining + moved, key=Diagnostic.sort_key)
        file.source = outcome.source
        file.fixed = outcome.fixed
        file.not_fixed = outcome.rolled_back
        outcomes.append(outcome)
    if folder_codes and linter.settings.diff_base is None and any(o.changed for o in outcomes):
        _refresh_folder_findings(result, linter, folder_codes)
    result.fixing = True
    result.unsafe_fixes = unsafe
    return outcomes


def _refresh_folder_findings(result: RunResult, linter: Linter, folder_codes: set[str]) -> None:
    """Run the folder rules again over the fixed texts, so the summary after ``--fix`` is what ``check`` says.

    A fix can create a history finding (``TRUNCATE`` fixed to ``DELETE`` is an unbounded delete,
    DSQL825) or remove one. Every file of the run takes part, in order: the fixed text where
    there is one, the file as it is on disk otherwise. With ``--diff-base`` the run holds only
    the changed files, so their history is incomplete: their carried findings stay as they are.
    """
    from pathlib import Path

    from dsql_lint.migrations import FolderEntry, MigrationFolder, summarize
    from dsql_lint.text.source import SourceError, read_path

    entries = []
    for file in result.files:
        if file.error is not None or file.migration is None or (file.migration.path == "-" and file.source is None):
            continue
        try:
            source = file.source if file.source is not None else read_path(Path(file.path))
        except SourceError:
            return  # a file changed or vanished meanwhile: keep the findings carried over
        script, _ = linter.build(source, file.migration)
        entries.append(FolderEntry(source, file.migration, summarize(script)))
    found: dict[str, list[Diagnostic]] = {}
    for d in linter.lint_folder(MigrationFolder(entries)):
        found.setdefault(d.path, []).append(d)
    for file in result.files:
        if file.error is not None or file.migration is None:
            continue
        kept = [d for d in file.diagnostics if d.code not in folder_codes]
        file.diagnostics = sorted(kept + found.get(file.path, []), key=Diagnostic.sort_key)


def write_fixed(outcome: FixOutcome) -> None:
    """Write a changed file back in place (atomically, same permissions, same BOM); skip unchanged files."""
    if not outcome.changed:
        return
    path = Path(outcome.original.path)
    write_atomically(path, encode_like(path, outcome.source.text), outcome.original.text)

"""The migration plan: which files to lint, as which tool's migrations, in which order.

Files are discovered as :func:`dsql_lint.frontend.discover.discover` finds them; then every
folder is recognised as one tool's migration folder (by the files' names and the
markers in their text, a majority vote per folder, or the forced format), and the
files of one history are sorted the way that tool applies them (Flyway ``1.10``
after ``1.9``, golang-migrate and goose by number, sqitch by ``sqitch.plan``).
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dsql_lint.frontend.discover import STDIN, discover
from dsql_lint.migrations.files import (
    FORMATS,
    FolderFacts,
    MigrationFile,
    describe,
    format_by_name,
    format_by_text,
    guess_format,
    sqitch_plan_order,
)
from dsql_lint.records import NEW, Record

_PEEK_BYTES = 64 * 1024
#: When no format wins the vote in a folder, the first of these present wins.
_PRIORITY = (
    "flyway",
    "prisma",
    "diesel",
    "supabase",
    "drizzle",
    "sqlx",
    "golang-migrate",
    "liquibase",
    "goose",
    "dbmate",
    "sqitch",
    "alembic",
    "django",
    "plain",
)


class PlanError(Exception):
    """A migration option that cannot be honoured (unknown format, bad git ref); the message says why."""


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Plan(Record):
    """Files in migration order, with the files whose findings are reported (all, unless ``--diff-base``)."""

    files: list[MigrationFile]
    reported: set[str] = field(default_factory=set)
    skipped_down: list[str] = field(default_factory=list)
    #: A notice per history folder (``MigrationFile.group``) about how its tool was chosen.
    notes: dict[str, str] = field(default_factory=dict)

    def __init__(
        self,
        files: list[MigrationFile],
        reported: set[str] = NEW,
        skipped_down: list[str] = NEW,
        notes: dict[str, str] = NEW,
    ) -> None:
        self.files = files
        self.reported = set() if reported is NEW else reported
        self.skipped_down = [] if skipped_down is NEW else skipped_down
        self.notes = {} if notes is NEW else notes

    def is_reported(self, path: str) -> bool:
        """True when findings in ``path`` are shown (the file changed since the diff base, or no base)."""
        return path in self.reported


def _peek(path: str) -> str:
    """The start of a regular file's text; "" for anything else (a pipe's bytes are for the linting alone)."""
    from dsql_lint.text.source import open_binary

    try:
        with open_binary(path) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return ""
            return fh.read(_PEEK_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _resolve(path: str) -> Path:
    """``Path(path).resolve()``, or the absolute path when symbolic links loop (resolve raises then)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" before Python 3.13
        return Path(os.path.abspath(path))


def _plan_order(root: Path) -> dict[str, int]:
    """The order ``root/sqitch.plan`` gives its changes; a plan that cannot be read is a PlanError."""
    plan = root / "sqitch.plan"
    try:
        from dsql_lint.text.source import open_binary

        with open_binary(os.fspath(plan)) as fh:
            text = fh.read().decode("utf-8", errors="replace")
    except OSError as exc:
        raise PlanError(f"{plan}: cannot be read ({exc.strerror or exc})") from None
    return sqitch_plan_order(text)


def _sqitch_root(path: str, by_folder: dict[str, Path | None] | None = None) -> Path | None:
    """The folder holding ``sqitch.plan`` when ``path`` is a deploy/revert/verify script, else None.

    ``by_folder`` memoises the answer per folder for one plan: resolving every path of a big
    folder (a ``stat`` per path component) was a tenth of a second per thousand files. A file
    that is itself a symbolic link is resolved on its own, since its target's folder counts.
    """
    if by_folder is None or os.path.islink(path):
        return _sqitch_root_of(_resolve(path).parent)
    folder = os.path.dirname(path)
    if folder not in by_folder:
        by_folder[folder] = _sqitch_root_of(_resolve(folder))
    return by_folder[folder]


def _sqitch_root_of(folder: Path) -> Path | None:
    for parent in [folder, *list(folder.parents)[:3]]:
        if parent.name in ("deploy", "revert", "verify") and (parent.parent / "sqitch.plan").is_file():
            return parent.parent
    return None


def _vote(guesses: Iterable[str]) -> str:
    counts = Counter(guesses)
    if not counts:
        return "plain"
    best = max(counts.values())
    return next(f for f in _PRIORITY if counts.get(f) == best)


def build_plan(
    paths: Iterable[str],
    fmt: str = "auto",
    include_down: bool = False,
    diff_base: str | None = None,
) -> Plan:
    """Discover ``paths`` and order them as their migration tools would run them."""
    if fmt not in FORMATS:
        raise PlanError(f"unknown migration format {fmt!r}; choose one of {', '.join(FORMATS)}")
    found = discover(paths)
    by_dir: dict[str, list[str]] = {}
    for path in found:
        by_dir.setdefault(os.path.dirname(path) if path != STDIN else STDIN, []).append(path)

    dir_format: dict[str, str] = {}
    sqitch_roots: dict[str, Path | None] = {}
    root_by_folder: dict[str, Path | None] = {}
    facts = FolderFacts()
    for folder, files in by_dir.items():
        if fmt != "auto":
            dir_format[folder] = fmt
            continue
        guesses = []
        for path in files:
            root = _sqitch_root(path, root_by_folder) if path != STDIN else None
            sqitch_roots[path] = root
            # The file's name decides most formats: its text is read only when it does not.
            guess = format_by_name(path, sqitch_root=root is not None, facts=facts) if path != STDIN else None
            if guess is None:
                text = _peek(path) if path != STDIN else ""
                cargo = path != STDIN and facts.cargo_project(folder)
                guess = format_by_text(text, os.path.basename(path) if path != STDIN else "", cargo)
            guesses.append(guess)
        dir_format[folder] = _vote(guesses)

    described: list[MigrationFile] = []
    for folder, files in by_dir.items():
        folder_fmt = dir_format[folder]
        group = _group_of(folder, dir_format)
        plan_index: dict[str, int] | None = None
        if folder_fmt == "sqitch":
            root = sqitch_roots.get(files[0]) or _sqitch_root(files[0], root_by_folder)
            if root is not None:
                group = os.fspath(root)
                plan_index = _plan_order(root)
        elif folder_fmt == "drizzle" and folder != STDIN:
            plan_index = facts.drizzle_journal(folder)
        elif folder_fmt in ("prisma", "diesel") and folder != STDIN:
            # One folder per migration: their common parent is the tool's history.
            group = os.path.dirname(folder)
        for path in files:
            described.append(describe(path, folder_fmt, group, plan_index))

    first_seen = {f.path: i for i, f in enumerate(described)}
    group_rank: dict[str, int] = {}
    for f in described:
        group_rank.setdefault(f.group, first_seen[f.path])
    # The format is part of the key: files of two tools can share a group (a sqitch project
    # linted by its absolute path, with plain scripts beside it), and their orders differ in shape.
    ordered = sorted(described, key=lambda f: (group_rank[f.group], f.group, f.format, f.order, first_seen[f.path]))
    kept = [f for f in ordered if include_down or not f.is_down]
    skipped = [f.path for f in ordered if not include_down and f.is_down]
    # verify scripts are sqitch's tests, not migrations: lint them only with the down path.
    if not include_down:
        skipped += [f.path for f in kept if f.role == "verify"]
        kept = [f for f in kept if f.role != "verify"]
    reported = {f.path for f in kept}
    if diff_base:
        reported = changed_since(diff_base, [f.path for f in kept])
    return Plan(kept, reported, skipped, _notes(kept, fmt))


#: The stock Drizzle migrator, said once per Drizzle folder.
DRIZZLE_NOTE = (
    "Drizzle's stock migrate() cannot run on DSQL (its __drizzle_migrations table has a SERIAL column): "
    "these files are linted as AWS's Drizzle adapter (@aws/aurora-dsql-drizzle) runs them, "
    "each statement-breakpoint chunk on its own"
)
#: Tools that keep SQL files but whose runners dsql-lint does not model: (file in the folder, name).
_UNMODELLED = (("atlas.sum", "Atlas"), (".graphilerc", "Graphile Migrate"), ("knexfile.js", "Knex"))


def _notes(files: list[MigrationFile], fmt: str) -> dict[str, str]:
    """A notice per history folder: Drizzle's stock migrator, and plain SQL chosen by default."""
    notes: dict[str, str] = {}
    for f in files:
        if f.group in notes or f.path == STDIN:
            continue
        if f.format == "drizzle":
            notes[f.group] = DRIZZLE_NOTE
        elif f.format == "plain" and fmt == "auto":
            folder = f.group or "."
            other = next((name for marker, name in _UNMODELLED if os.path.exists(os.path.join(folder, marker))), None)
            look = f"look like {other} migrations, which dsql-lint does not model; " if other else ""
            notes[f.group] = (
                f"{look}linted as plain SQL run by psql (each statement in autocommit unless inside "
                "BEGIN ... COMMIT); if a migration tool runs them, name it with --format-of-migrations "
                'or migrations = "..." in the configuration'
            )
    return notes


def _group_of(folder: str, dir_format: dict[str, str]) -> str:
    """The highest ancestor folder in the run with the same format: one tool history spans subfolders."""
    fmt = dir_format[folder]
    group = folder
    parent = os.path.dirname(group)
    while parent and parent != group and dir_format.get(parent) == fmt:
        group = parent
        parent = os.path.dirname(group)
    return group


def changed_since(ref: str, paths: list[str]) -> set[str]:
    """The paths among ``paths`` added or changed since git ``ref`` (committed, staged, unstaged or untracked)."""
    real = [p for p in paths if p != STDIN]
    if not real:
        return set(paths)
    cwd = os.path.dirname(os.path.abspath(real[0])) or "."
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    if _git_ok(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd) is False:
        raise PlanError(f"--diff-base: {ref!r} is not a commit in the git repository at {top}")
    changed_out = _git(["diff", "--name-only", "--no-renames", "--diff-filter=ACMRT", ref, "--"], cwd)
    untracked = _git(["ls-files", "--others", "--exclude-standard"], top)
    changed = {os.path.normcase(os.path.realpath(os.path.join(top, line))) for line in changed_out.splitlines()}
    changed |= {os.path.normcase(os.path.realpath(os.path.join(top, line))) for line in untracked.splitlines()}
    result = {p for p in real if os.path.normcase(os.path.realpath(p)) in changed}
    if STDIN in paths:
        result.add(STDIN)
    return result


def _git(args: list[str], cwd: str) -> str:
    import subprocess  # only for --diff-base (~3 ms to import)

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PlanError(f"--diff-base needs git, which could not run: {exc}") from None
    if done.returncode != 0:
        raise PlanError(f"--diff-base: git {' '.join(args[:2])} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _git_ok(args: list[str], cwd: str) -> bool:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def describe_single(path: str, text: str, fmt: str = "auto") -> MigrationFile:
    """The migration view of one file linted on its own (stdin, the API, an editor)."""
    facts = FolderFacts() if path not in (STDIN, "", "<string>") else None
    if fmt == "auto":
        root = _sqitch_root(path) if facts is not None and os.path.exists(path) else None
        fmt = guess_format(path, text, sqitch_root=root is not None, facts=facts)
        if root is not None:
            try:
                plan = _plan_order(root)
            except PlanError:  # one file linted on its own: its plan's order does not matter enough to fail
                plan = sqitch_plan_order("")
            return describe(path, fmt, os.fspath(root), plan)
    if fmt == "drizzle" and facts is not None:
        return describe(path, fmt, os.path.dirname(path), facts.drizzle_journal(os.path.dirname(path)))
    return describe(path, fmt, os.path.dirname(path))

"""Shape a file's Script the way its migration tool runs it: up path only, tool transactions.

``shape_script`` keeps the statements of the up path (down, undo and revert
sections are left out unless asked for; statements keep their exact offsets in the
original file) and rebuilds ``Script.transactions`` from what the tool really does:

========================  ==================================================================
tool                      transactions
========================  ==================================================================
Flyway                    each file in one transaction, unless it holds a statement that
                          cannot run in one (CONCURRENTLY, VACUUM ...) or ``V1__x.sql.conf``
                          says ``executeInTransaction=false``
golang-migrate            the whole file is one multi-statement Exec: one implicit transaction
goose                     the Up section in one transaction (goose also inserts its version
                          row in it), unless ``-- +goose NO TRANSACTION``
dbmate                    each ``-- migrate:up`` section in one transaction (with the version
                          row); ``transaction:false`` sends it as one multi-statement Exec,
                          which is still one implicit transaction
liquibase                 each changeset in one transaction unless ``runInTransaction:false``
golang-migrate with       each statement on its own (the driver splits the file at ``;``)
x-multi-statement
Prisma Migrate            the whole ``migration.sql`` is one simple query: one implicit
                          transaction; ``_prisma_migrations`` is written separately
Drizzle                   statement by statement, as AWS's DSQL adapter and sample runner
                          apply it: each ``--> statement-breakpoint`` chunk is sent alone
Supabase CLI              every statement and the ``schema_migrations`` insert in one
                          pipeline batch: one implicit transaction with the version row
Diesel                    the file and the ``__diesel_schema_migrations`` insert in one
                          transaction, unless ``metadata.toml`` says
                          ``run_in_transaction = false`` (then one multi-statement string)
sqlx                      the file and the ``_sqlx_migrations`` insert in one transaction,
                          unless the file starts with ``-- no-transaction`` (then one
                          multi-statement string)
sqitch, alembic, django,  psql-like: autocommit, with the explicit BEGIN/COMMIT blocks of the
plain                     text; ``--assume-in-transaction`` makes the file one implicit
                          multi-statement transaction
========================  ==================================================================
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from dsql_lint.frontend.transactions import group
from dsql_lint.migrations.files import MigrationFile
from dsql_lint.model import Kind, Script, Statement, Transaction
from dsql_lint.records import NEW, Record
from dsql_lint.text.lexer import TokenKind

_ENDERS = frozenset({"COMMIT", "ROLLBACK", "PREPARE TRANSACTION"})


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class ToolTransaction(Transaction):
    """A transaction opened by a migration tool (``managed``), or implicit in a multi-statement string.

    ``tool`` names the tool; ``records_version`` names the history table the tool
    inserts into inside this same transaction (goose, dbmate), or is empty.
    """

    tool: str = ""
    records_version: str = ""
    implicit: bool = False

    def __init__(
        self,
        statements: list[Statement],
        explicit: bool,
        begin: Statement | None = None,
        end: Statement | None = None,
        reason: str = "",
        managed: bool = False,
        tool: str = "",
        records_version: str = "",
        implicit: bool = False,
    ) -> None:
        Transaction.__init__(self, statements, explicit, begin, end, reason, managed)
        self.tool = tool
        self.records_version = records_version
        self.implicit = implicit


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Section(Record):
    """A run of statements the tool sends together, with its direction and options."""

    direction: str  # "up", "down" or "none" (before any marker: the tool ignores it)
    statements: list[Statement] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    label: str = ""

    def __init__(
        self,
        direction: str,
        statements: list[Statement] = NEW,
        options: dict[str, str] = NEW,
        label: str = "",
    ) -> None:
        self.direction = direction
        self.statements = [] if statements is NEW else statements
        self.options = {} if options is NEW else options
        self.label = label


# --------------------------------------------------------------------------- markers

# Compiled on first use: only goose, dbmate and Liquibase files read their markers.
_MARKERS = {
    "goose": (
        r"^--\s*\+goose\s+(?P<what>up|down|no\s+transaction|statementbegin|statementend|envsub\s+\w+)",
        re.IGNORECASE,
    ),
    "dbmate": (r"^--\s*migrate:(?P<what>up|down)\b(?P<opts>.*)$", 0),
    "liquibase": (r"^--\s*changeset\s+(?P<id>\S+)(?P<opts>.*)$", re.IGNORECASE),
    "option": (r"(\w+):(\S+)", 0),
}


@functools.cache
def _marker(name: str) -> re.Pattern[str]:
    pattern, flags = _MARKERS[name]
    return re.compile(pattern, flags)


#: Statements Flyway's PostgreSQL parser cannot run inside a transaction.
_NON_TRANSACTIONAL = (
    ("CREATE", "DATABASE"),
    ("DROP", "DATABASE"),
    ("CREATE", "TABLESPACE"),
    ("DROP", "TABLESPACE"),
    ("ALTER", "SYSTEM"),
    ("VACUUM",),
    ("CREATE", "SUBSCRIPTION"),
    ("ALTER", "SUBSCRIPTION"),
    ("DROP", "SUBSCRIPTION"),
    ("DISCARD", "ALL"),
)
#: The same, as a statement's first word or first two words (each entry has one or two: a longer one
#: would fail tests/migrations/test_flyway_non_transactional.py).
_NON_TRANSACTIONAL_FIRST = frozenset(seq[0] for seq in _NON_TRANSACTIONAL if len(seq) == 1)
_NON_TRANSACTIONAL_FIRST_TWO = frozenset(seq for seq in _NON_TRANSACTIONAL if len(seq) == 2)
#: The statements Flyway runs outside a transaction when they say CONCURRENTLY.
_CONCURRENT_TAGS = frozenset({"CREATE INDEX", "DROP INDEX", "REINDEX"})


#: The line comments at which each tool cuts a file into sections (see :func:`section_markers`).
_SECTION_MARKERS = {
    "dbmate": r"--\s*migrate:(?:up|down)\b",
    "goose": r"--\s*\+goose\s+(?:up|down)\b",
    "liquibase": r"--\s*(?:changeset\s|rollback\b)",
}


@functools.cache
def section_markers(fmt: str) -> re.Pattern[str] | None:
    """The pattern of ``fmt``'s section markers, which end a statement even without a semicolon.

    dbmate cuts the file at ``-- migrate:up`` / ``-- migrate:down`` before running the up
    section, so an up section whose last statement has no ``;`` is still a statement of its own.
    """
    pattern = _SECTION_MARKERS.get(fmt)
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def _line_comments(script: Script) -> list[tuple[int, str]]:
    """(offset, text) of every ``--`` comment that starts a line (tools only read those)."""
    text = script.source.text
    found = []
    for tok in script.tokens:
        if tok.kind is TokenKind.COMMENT and (tok.start == 0 or text[tok.start - 1] == "\n"):
            found.append((tok.start, tok.text.rstrip("\r")))
    return found


def _sections(script: Script, markers: list[tuple[int, str, dict[str, str], str]]) -> list[Section]:
    """Assign statements to the last marker before them; ``markers`` are (offset, direction, options, label)."""
    sections = [Section("none")]
    bounds = [-1]
    for offset, direction, options, label in markers:
        sections.append(Section(direction, options=options, label=label))
        bounds.append(offset)
    k = 0
    for stmt in script.statements:
        while k + 1 < len(bounds) and bounds[k + 1] <= stmt.start:
            k += 1
        sections[k].statements.append(stmt)
    return [s for s in sections if s.statements or s.direction != "none"]


def goose_sections(script: Script) -> tuple[list[Section], bool]:
    """goose's Up/Down sections, and whether ``-- +goose NO TRANSACTION`` is present."""
    markers: list[tuple[int, str, dict[str, str], str]] = []
    no_tx = False
    goose = _marker("goose")
    for offset, text in _line_comments(script):
        m = goose.match(text)
        if not m:
            continue
        what = re.sub(r"\s+", " ", m["what"].lower())
        if what == "no transaction":
            no_tx = True
        elif what in ("up", "down"):
            markers.append((offset, what, {}, what.capitalize()))
    return _sections(script, markers), no_tx


def dbmate_sections(script: Script) -> list[Section]:
    """dbmate's ``-- migrate:up`` / ``-- migrate:down`` sections with their options."""
    markers: list[tuple[int, str, dict[str, str], str]] = []
    dbmate, option = _marker("dbmate"), _marker("option")
    for offset, text in _line_comments(script):
        m = dbmate.match(text)
        if m:
            markers.append((offset, m["what"], dict(option.findall(m["opts"])), m["what"]))
    return _sections(script, markers)


def liquibase_sections(script: Script) -> list[Section]:
    """Liquibase formatted-SQL changesets with their attributes."""
    markers: list[tuple[int, str, dict[str, str], str]] = []
    changeset, option = _marker("liquibase"), _marker("option")
    for offset, text in _line_comments(script):
        m = changeset.match(text)
        if m:
            markers.append((offset, "up", dict(option.findall(m["opts"])), m["id"]))
    sections = _sections(script, markers)
    for s in sections:  # statements before the first changeset are not run by Liquibase
        if s.direction == "none":
            s.direction = "ignored"
    return sections


# --------------------------------------------------------------------------- transactions


def managed(statements: list[Statement], reason: str, tool: str, records_version: str = "") -> list[Transaction]:
    """One tool-opened transaction over ``statements``; an explicit COMMIT in the text ends it early."""
    result: list[Transaction] = []
    current: list[Statement] = []
    tcl = Kind.TCL  # a local: ``Kind.TCL`` costs a metaclass attribute lookup per read
    for stmt in statements:
        current.append(stmt)
        if stmt.kind is tcl and stmt.tag in _ENDERS:
            result.append(ToolTransaction(current, explicit=False, managed=True, reason=reason, tool=tool))
            current = []
    if current or not result:
        result.append(
            ToolTransaction(
                current, explicit=False, managed=True, reason=reason, tool=tool, records_version=records_version
            )
        )
    elif records_version:
        last = result[-1]
        assert isinstance(last, ToolTransaction)
        last.records_version = records_version
    return [t for t in result if t.statements]


def implicit(statements: list[Statement], reason: str, tool: str, records_version: str = "") -> list[Transaction]:
    """Statements sent as one multi-statement string: PostgreSQL's implicit transaction block.

    A BEGIN inside turns the implicit block into an explicit one (statements before it
    included); COMMIT or ROLLBACK ends it, and the next statement starts a new one.
    ``records_version`` names the history table the tool inserts into at the end of the
    same string or batch: the last block, when no COMMIT closed it, shares a transaction
    with that insert even if it holds a single statement.
    """
    result: list[Transaction] = []
    current: list[Statement] = []
    begin: Statement | None = None

    def close(end: Statement | None) -> None:
        nonlocal current, begin
        if current:
            body = [s for s in current if s.kind not in (Kind.TCL, Kind.PSQL_META, Kind.COPY_DATA)]
            with_version = records_version if end is None and body else ""
            if begin is None and len(body) <= 1 and end is None and not with_version:
                result.extend(group(current))
            else:
                result.append(
                    ToolTransaction(
                        current,
                        explicit=begin is not None,
                        begin=begin,
                        end=end,
                        managed=True,
                        reason=reason,
                        tool=tool,
                        records_version=with_version,
                        implicit=begin is None,
                    )
                )
        current = []
        begin = None

    for stmt in statements:
        if stmt.kind is Kind.PSQL_META or stmt.kind is Kind.COPY_DATA:
            current.append(stmt)
            continue
        current.append(stmt)
        if stmt.kind is Kind.TCL and stmt.tag == "BEGIN" and begin is None:
            begin = stmt
        elif stmt.kind is Kind.TCL and stmt.tag in _ENDERS:
            close(stmt)
    close(None)
    return result


def _flyway_runs_outside_transaction(statements: list[Statement]) -> bool:
    # Keywords (letters only) equal an entry of ``Statement.words`` only as unquoted words, so
    # list comparisons here are ``Statement.has`` / ``Statement.starts_with`` without their calls.
    first_only = _NON_TRANSACTIONAL_FIRST
    first_two = _NON_TRANSACTIONAL_FIRST_TWO
    for stmt in statements:
        words = stmt.words
        if not words:
            continue
        if stmt.tag in _CONCURRENT_TAGS and "CONCURRENTLY" in words:
            return True
        if words[0] in first_only or (len(words) > 1 and (words[0], words[1]) in first_two):
            return True
    return False


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class ShapeOptions(Record):
    """The settings that change how files are shaped."""

    include_down: bool = False
    assume_in_transaction: bool = False
    flyway_no_transaction: bool = False  # executeInTransaction=false from V1__x.sql.conf
    aws_adapter: bool = False  # the tool runs through AWS's DSQL adapter (Flyway: one statement at a time)
    diesel_no_transaction: bool = False  # run_in_transaction = false in the migration's metadata.toml

    def __init__(
        self,
        include_down: bool = False,
        assume_in_transaction: bool = False,
        flyway_no_transaction: bool = False,
        aws_adapter: bool = False,
        diesel_no_transaction: bool = False,
    ) -> None:
        self.include_down = include_down
        self.assume_in_transaction = assume_in_transaction
        self.flyway_no_transaction = flyway_no_transaction
        self.aws_adapter = aws_adapter
        self.diesel_no_transaction = diesel_no_transaction


def shape_script(script: Script, mfile: MigrationFile, options: ShapeOptions | None = None) -> Script:
    """A copy of ``script`` with only the statements the tool runs (up path) and its real transactions."""
    opts = options or ShapeOptions()
    name = mfile.name
    fmt = mfile.format
    kept: list[Statement] = []
    txns: list[Transaction] = []

    def add(statements: list[Statement], transactions: list[Transaction]) -> None:
        kept.extend(statements)
        txns.extend(transactions)

    def psql_like(statements: list[Statement], what: str) -> list[Transaction]:
        if opts.assume_in_transaction:
            return implicit(
                statements,
                f"{what} is sent as one multi-statement string (--assume-in-transaction), "
                "which DSQL runs as one transaction",
                fmt,
            )
        return group(statements)

    if fmt == "flyway":
        stmts = script.statements
        if opts.aws_adapter:
            add(stmts, group(stmts, f"AWS's Flyway plugin for DSQL runs each statement of {name} on its own"))
        elif opts.flyway_no_transaction:
            add(stmts, psql_like(stmts, name))
        elif _flyway_runs_outside_transaction(stmts):
            add(stmts, group(stmts))
        else:
            add(stmts, managed(stmts, f"Flyway runs {name} in one transaction", "flyway"))
    elif fmt == "golang-migrate":
        stmts = script.statements
        add(
            stmts,
            implicit(
                stmts,
                f"golang-migrate sends {name} as one multi-statement string, which DSQL runs as one transaction",
                fmt,
            ),
        )
    elif fmt == "golang-migrate-multi-statement":
        stmts = script.statements
        add(stmts, group(stmts, "golang-migrate (x-multi-statement) sends each statement on its own"))
    elif fmt == "prisma":
        stmts = script.statements
        reason = f"Prisma Migrate sends {name} as one multi-statement string, which DSQL runs as one transaction"
        add(stmts, implicit(stmts, reason, fmt))
    elif fmt == "supabase":
        stmts = script.statements
        reason = (
            f"the Supabase CLI sends the statements of {name} and its insert into "
            "supabase_migrations.schema_migrations as one batch, which DSQL runs as one transaction"
        )
        add(stmts, implicit(stmts, reason, fmt, "supabase_migrations.schema_migrations"))
    elif fmt in ("diesel", "sqlx"):
        stmts = script.statements
        tool, table = ("Diesel", "__diesel_schema_migrations") if fmt == "diesel" else ("sqlx", "_sqlx_migrations")
        where = name if fmt == "sqlx" else os.path.join(os.path.basename(os.path.dirname(mfile.path)), name)
        if opts.diesel_no_transaction if fmt == "diesel" else script.source.text.startswith("-- no-transaction"):
            reason = f"{tool} sends {where} as one multi-statement string, which DSQL runs as one transaction"
            add(stmts, implicit(stmts, reason, fmt))
        else:
            add(stmts, managed(stmts, f"{tool} runs {where} in one transaction", fmt, table))
    elif fmt == "drizzle":
        for chunk in _drizzle_chunks(script):
            reason = (
                f"Drizzle sends each `--> statement-breakpoint` chunk of {name} as one string, "
                "which DSQL runs as one transaction"
            )
            add(chunk, implicit(chunk, reason, fmt))
    elif fmt == "goose":
        sections, no_tx = goose_sections(script)
        for sec in sections:
            if not _wanted(sec.direction, opts):
                continue
            if no_tx:
                add(sec.statements, group(sec.statements))
            else:
                reason = f"goose runs the {sec.label} section of {name} in one transaction"
                add(sec.statements, managed(sec.statements, reason, fmt, "goose_db_version"))
    elif fmt == "dbmate":
        for sec in dbmate_sections(script):
            if not _wanted(sec.direction, opts):
                continue
            if sec.options.get("transaction", "true").lower() == "false":
                reason = (
                    f"dbmate sends the {sec.label} section of {name} as one multi-statement string "
                    "(transaction:false), which DSQL still runs as one transaction"
                )
                add(sec.statements, implicit(sec.statements, reason, fmt))
            else:
                reason = f"dbmate runs the {sec.label} section of {name} in one transaction"
                add(sec.statements, managed(sec.statements, reason, fmt, "schema_migrations"))
    elif fmt == "liquibase":
        for sec in liquibase_sections(script):
            if sec.direction != "up":
                continue
            if sec.options.get("runInTransaction", "true").lower() == "false":
                if sec.options.get("splitStatements", "true").lower() == "false":
                    reason = (
                        f"Liquibase sends changeset {sec.label} of {name} as one string (splitStatements:false), "
                        "which DSQL runs as one transaction"
                    )
                    add(sec.statements, implicit(sec.statements, reason, fmt))
                else:
                    add(sec.statements, group(sec.statements))
            else:
                reason = f"Liquibase runs changeset {sec.label} of {name} in one transaction"
                add(sec.statements, managed(sec.statements, reason, fmt))
    else:  # sqitch, alembic, django, plain: psql semantics
        add(script.statements, psql_like(script.statements, name))
    return Script(source=script.source, statements=kept, transactions=txns, tokens=script.tokens)


def _drizzle_chunks(script: Script) -> list[list[Statement]]:
    """The statements between Drizzle's ``--> statement-breakpoint`` markers, one list per chunk.

    drizzle-orm's ``readMigrationFiles`` splits a file's text at every marker, wherever it
    stands on its line; each piece is then sent on its own.
    """
    marks = [
        tok.start
        for tok in script.tokens
        if tok.kind is TokenKind.COMMENT and tok.text.startswith("--> statement-breakpoint")
    ]
    chunks: list[list[Statement]] = [[] for _ in range(len(marks) + 1)]
    k = 0
    for stmt in script.statements:
        while k < len(marks) and marks[k] <= stmt.start:
            k += 1
        chunks[k].append(stmt)
    return [c for c in chunks if c]


def _wanted(direction: str, opts: ShapeOptions) -> bool:
    return direction == "up" or (direction == "down" and opts.include_down)

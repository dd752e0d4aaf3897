"""What makes the test front door a DSQL stand-in: DSQL's statement and transaction rules, in front
of a PostgreSQL 16 server (the ``pgserver`` wheel's, when installed).

The front door reads the client's messages (simple ``Query`` and extended ``Parse``), judges each
statement as DSQL would (see ``../shared/dsql/facts.md``, section numbers below), and sends the
backend either the statement, a rewritten one (``CREATE INDEX ASYNC`` runs the build and returns
a ``job_id``), or a ``DO`` block that raises DSQL's error, so that PostgreSQL itself aborts the
transaction as DSQL would. It reads the backend's messages only to know the transaction state.

What it reproduces:

- one DDL statement per transaction, and no DDL with DML, in explicit transactions and in
  multi-statement simple queries (§4, texts ``multiple ddl statements not supported in a
  transaction`` and ``ddl and dml are not supported in the same transaction``);
- ``CREATE [UNIQUE] INDEX ASYNC`` and ``ALTER TABLE ASYNC ... VALIDATE CONSTRAINT`` answer a
  one-row ``job_id`` result and add a ``sys.jobs`` row; ``CALL sys.wait_for_job(id)`` answers a
  boolean (§5);
- 0A000 refusals with DSQL's recorded texts for the statements :data:`REFUSED` lists;
- ``pg_proc`` is not available (the text is this stand-in's: DSQL's is not recorded);
- with ``stale_catalog``: a session's next statement after another session committed DDL fails
  once with 40001 ``schema has been updated by another transaction, please retry: (OC001)``;
- with ``ddl_rolls_back = False``: DDL inside a transaction is run at once on a connection of its
  own and committed, so a ROLLBACK does not undo it (the worst case live mode must survive).

What it cannot reproduce: DSQL's optimistic concurrency on data (OC000 at commit), its limits
(3,000 rows per transaction, sizes, counts), the IAM side beyond the token check, SQL functions
and types DSQL lacks but PostgreSQL has, and any error text facts.md does not record.
"""

from __future__ import annotations

import json
import re
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

#: Statement node -> DSQL's 0A000 text (facts.md §2, §3).
REFUSED = {
    "TruncateStmt": "unsupported statement: Truncate",
    "CreateExtensionStmt": "unsupported statement: CreateExtension",
    "CreateTableAsStmt": "unsupported statement: CreateTableAs",
    "ListenStmt": "unsupported statement: Listen",
    "NotifyStmt": "unsupported statement: Notify",
    "UnlistenStmt": "unsupported statement: Unlisten",
    "AlterSystemStmt": "unsupported statement: AlterSystem",
    "LockStmt": "unsupported statement: Lock",
    "CreateTableSpaceStmt": "unsupported statement: CreateTableSpace",
    "CreateForeignTableStmt": "unsupported statement: CreateForeignTable",
    "DeclareCursorStmt": "unsupported statement: DeclareCursor",
    "CreatedbStmt": "unsupported statement: Createdb",
    "CompositeTypeStmt": "unsupported statement: CompositeType",
    "CreateRangeStmt": "unsupported statement: CreateRange",
    "CreateEnumStmt": "CREATE TYPE not supported",
    "CreateTrigStmt": "CREATE TRIGGER not supported",
    "MergeStmt": "unsupported statement type: MERGE",
}
_SAVEPOINTS = {
    "TRANS_STMT_SAVEPOINT": "SAVEPOINT",
    "TRANS_STMT_RELEASE": "RELEASE",
    "TRANS_STMT_ROLLBACK_TO": "ROLLBACK TO",
}
_DML = {"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"}
_NOT_DDL = {"AlterDefaultPrivilegesStmt"}
MULTIPLE_DDL = "multiple ddl statements not supported in a transaction"
DDL_AND_DML = "ddl and dml are not supported in the same transaction"
OC001 = "schema has been updated by another transaction, please retry: (OC001)"

_ASYNC_INDEX = re.compile(r"(?is)^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+)(ASYNC)\b")
_ASYNC_ALTER = re.compile(r"(?is)^(\s*ALTER\s+TABLE\s+)(ASYNC)\b")

#: What the backend needs for the stand-in: the ``sys`` schema of DSQL, built from PostgreSQL.
SETUP_SQL = r"""
CREATE SCHEMA sys;
CREATE TABLE sys.jobs (
    job_id text PRIMARY KEY, status text NOT NULL, details text, job_type text NOT NULL,
    class_id oid, object_id oid, object_name text, start_time timestamptz, update_time timestamptz
);
CREATE FUNCTION sys.standin_async(ddl text, kind text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    id text := substr(translate(md5(random()::text) || md5(random()::text), '0189', 'ghij'), 1, 26);
BEGIN
    EXECUTE ddl;
    INSERT INTO sys.jobs (job_id, status, job_type, start_time, update_time)
    VALUES (id, 'completed', kind, now(), now());
    RETURN id;
END
$f$;
CREATE PROCEDURE sys.wait_for_job(id text, INOUT ok boolean DEFAULT NULL) LANGUAGE plpgsql AS $f$
BEGIN
    ok := EXISTS (SELECT 1 FROM sys.jobs WHERE job_id = id AND status = 'completed');
END
$f$;
GRANT USAGE ON SCHEMA sys TO PUBLIC;
GRANT SELECT ON sys.jobs TO PUBLIC;
GRANT INSERT ON sys.jobs TO PUBLIC;
"""


@dataclass
class Cluster:
    """What all sessions of the stand-in share."""

    backend_port: int
    ddl_rolls_back: bool = True
    stale_catalog: bool = False
    version: int = 0  # bumped by every committed DDL
    bumped_by: dict[int, int] = field(default_factory=dict)  # version -> session id
    received: list[str] = field(default_factory=list)  # every statement text the backend was sent
    lock: threading.Lock = field(default_factory=threading.Lock)
    _sessions: int = 0

    def new_session(self) -> Session:
        with self.lock:
            self._sessions += 1
            return Session(self, self._sessions, self.version)

    def bump(self, session: Session) -> None:
        with self.lock:
            self.version += 1
            self.bumped_by[self.version] = session.ident
            session.seen_version = self.version


@dataclass
class Statement:
    """One statement of a message, as the stand-in judges it."""

    text: str
    node: str
    body: dict[str, Any]
    is_async: bool

    @property
    def ddl(self) -> bool:
        if self.node in _NOT_DDL:
            return False
        return (
            self.is_async
            or self.node.startswith(("Create", "Alter", "Drop", "Define"))
            or self.node
            in (
                "IndexStmt",
                "RenameStmt",
                "ViewStmt",
                "CompositeTypeStmt",
                "CommentStmt",
            )
        )

    @property
    def dml(self) -> bool:
        return self.node in _DML


class Session:
    """One client connection: the transaction state and what this transaction has done."""

    def __init__(self, cluster: Cluster, ident: int, version: int) -> None:
        self.cluster = cluster
        self.ident = ident
        self.seen_version = version
        self.status = "I"  # from the backend's last ReadyForQuery: I(dle), T(ransaction), E(rror)
        self.ddl = 0
        self.dml = 0
        self.pending_ddl = False
        self.last_tag = ""
        self.errored = False
        self._client = b""
        self._backend = b""
        self._side: Any = None

    # -- the wire ---------------------------------------------------------------------------------

    def from_client(self, data: bytes) -> bytes:
        """The bytes to send the backend for what the client sent."""
        messages, self._client = _messages(self._client + data)
        out = []
        for kind, body in messages:
            if kind == b"Q":
                query = body.rstrip(b"\0").decode("utf-8", "surrogateescape")
                body = self.judge(query).encode("utf-8", "surrogateescape") + b"\0"
            elif kind == b"P":
                name, rest = body.split(b"\0", 1)
                query_bytes, params = rest.split(b"\0", 1)
                query = query_bytes.decode("utf-8", "surrogateescape")
                judged = self.judge(query)
                if judged != query:
                    params = b"\0\0"  # the substitute takes no parameters
                body = name + b"\0" + judged.encode("utf-8", "surrogateescape") + b"\0" + params
            out.append(kind + struct.pack("!I", len(body) + 4) + body)
        return b"".join(out)

    def from_backend(self, data: bytes) -> bytes:
        """Watch the backend's messages (passed on unchanged) for the transaction state."""
        messages, self._backend = _messages(self._backend + data)
        for kind, body in messages:
            if kind == b"C":
                self.last_tag = body.rstrip(b"\0").decode("ascii", "replace").split(" ")[0]
            elif kind == b"E":
                self.errored = True
            elif kind == b"Z":
                self._ready(body[:1].decode("ascii"))
        return data

    def _ready(self, status: str) -> None:
        if status == "I":
            if self.pending_ddl and not self.errored and self.last_tag != "ROLLBACK":
                self.cluster.bump(self)
            self.ddl = self.dml = 0
            self.pending_ddl = False
        self.errored = False
        self.status = status

    # -- judging ------------------------------------------------------------------------------

    def judge(self, query: str) -> str:
        """The SQL the backend gets for ``query``."""
        statements = _statements(query)
        if statements is None:
            return query  # PostgreSQL will answer its own syntax error
        with self.cluster.lock:
            self.cluster.received.append(query)
        if self.cluster.stale_catalog and statements:
            with self.cluster.lock:
                others = [v for v in range(self.seen_version + 1, self.cluster.version + 1)]
                stale = any(self.cluster.bumped_by.get(v) != self.ident for v in others)
                self.seen_version = self.cluster.version
            if stale:
                return _raise("40001", OC001)
        in_block = self.status == "T" or len(statements) > 1
        ddl, dml = (self.ddl, self.dml) if self.status == "T" else (0, 0)
        for stmt in statements:
            refusal = _refusal(stmt)
            if refusal is not None:
                return _raise(*refusal)
            if in_block and stmt.ddl and ddl:
                return _raise("0A000", MULTIPLE_DDL)
            if in_block and ((stmt.ddl and dml) or (stmt.dml and ddl)):
                return _raise("0A000", DDL_AND_DML)
            ddl += stmt.ddl
            dml += stmt.dml
        self.ddl, self.dml = ddl, dml
        if any(s.ddl for s in statements):
            self.pending_ddl = True
        if len(statements) == 1:
            stmt = statements[0]
            if stmt.is_async:
                kind = "INDEX_BUILD" if stmt.node == "IndexStmt" else "VALIDATE_CONSTRAINT"
                return f"SELECT sys.standin_async({_dollar(stmt.text)}, '{kind}') AS job_id"
            if stmt.ddl and self.status == "T" and not self.cluster.ddl_rolls_back:
                return self._commit_aside(stmt.text)
        return query

    def _commit_aside(self, sql: str) -> str:
        """Run DDL on a connection of its own, committed at once: no ROLLBACK of the client undoes it."""
        import psycopg

        try:
            if self._side is None:
                self._side = psycopg.connect(
                    host="127.0.0.1", port=self.cluster.backend_port, user="admin", dbname="postgres", autocommit=True
                )
            self._side.execute(sql)
        except psycopg.Error as exc:
            diag = exc.diag
            return _raise(diag.sqlstate or "XX000", diag.message_primary or str(exc))
        self.pending_ddl = False
        self.cluster.bump(self)
        return "DO $standin$BEGIN END$standin$"

    def close(self) -> None:
        if self._side is not None:
            self._side.close()


def _messages(buffer: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The whole protocol messages at the start of ``buffer`` (type byte, body), and what is left."""
    found = []
    while len(buffer) >= 5:
        (length,) = struct.unpack("!I", buffer[1:5])
        if len(buffer) < 1 + length:
            break
        found.append((buffer[:1], buffer[5 : 1 + length]))
        buffer = buffer[1 + length :]
    return found, buffer


def _statements(query: str) -> list[Statement] | None:
    """The statements of ``query`` (DSQL's ASYNC keyword taken out first), or None when PostgreSQL's
    grammar rejects them."""
    from pglast.parser import ParseError, parse_sql_json

    is_async = False
    cleaned = query
    for pattern in (_ASYNC_INDEX, _ASYNC_ALTER):
        match = pattern.match(cleaned)
        if match:
            is_async = True
            cleaned = cleaned[: match.start(2)] + cleaned[match.end(2) :]
    try:
        tree = json.loads(parse_sql_json(cleaned))
    except ParseError:
        return None
    found = []
    for raw in tree.get("stmts", []):
        stmt = raw.get("stmt", {})
        node, body = next(iter(stmt.items())) if stmt else ("", {})
        start = raw.get("stmt_location", 0)
        length = raw.get("stmt_len", 0) or len(cleaned.encode("utf-8")) - start
        text = cleaned.encode("utf-8")[start : start + length].decode("utf-8", "replace")
        found.append(Statement(text, node, body, is_async and node in ("IndexStmt", "AlterTableStmt")))
    return found


def _refusal(stmt: Statement) -> tuple[str, str] | None:
    if stmt.node in REFUSED:
        return "0A000", REFUSED[stmt.node]
    body = stmt.body
    if stmt.node == "TransactionStmt" and body.get("kind") in _SAVEPOINTS:
        return "0A000", f"unsupported transaction statement: {_SAVEPOINTS[body['kind']]}"
    if stmt.node == "VacuumStmt" and body.get("is_vacuumcmd"):
        return "0A000", "unsupported VACUUM statement"
    if stmt.node == "IndexStmt" and not stmt.is_async:
        if body.get("concurrent"):
            return "0A000", "CONCURRENTLY not supported for CREATE INDEX"
        return "0A000", "unsupported mode. please use CREATE INDEX ASYNC."
    if stmt.node == "AlterTableStmt":
        for cmd in body.get("cmds", []):
            sub = cmd.get("AlterTableCmd", {})
            if sub.get("subtype") == "AT_ValidateConstraint" and not stmt.is_async:
                return "0A000", "unsupported ALTER TABLE VALIDATE CONSTRAINT statement"
            constraint = sub.get("def", {}).get("Constraint", {})
            if (
                sub.get("subtype") == "AT_AddConstraint"
                and constraint.get("contype") in ("CONSTR_CHECK", "CONSTR_FOREIGN")
                and not constraint.get("skip_validation")
            ):
                return "0A000", "unsupported ALTER TABLE ADD CONSTRAINT statement"
    if _reads_pg_proc(body):
        return "0A000", "pg_proc is not available on Aurora DSQL (the stand-in's words: DSQL's text is not recorded)"
    return None


def _reads_pg_proc(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("relname") == "pg_proc":
            return True
        return any(_reads_pg_proc(v) for v in node.values())
    if isinstance(node, list):
        return any(_reads_pg_proc(v) for v in node)
    return False


def _dollar(text: str) -> str:
    tag = "$standin$"
    while tag in text:
        tag = tag[:-1] + "x$"
    return f"{tag}{text}{tag}"


def _raise(sqlstate: str, message: str) -> str:
    """A statement that fails with ``sqlstate`` and ``message``, as DSQL's refusal would."""
    quoted = message.replace("'", "''")
    return f"DO $standin$BEGIN RAISE EXCEPTION USING ERRCODE = '{sqlstate}', MESSAGE = '{quoted}'; END$standin$"

"""What a statement does to the catalog, read from its tokens (and syntax tree), and whether it may run.

This is deliberately conservative: anything live mode cannot run inside a transaction that is
rolled back without a trace gets a ``refusal`` reason and is never sent to the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dsql_lint.model import Kind, Statement
from dsql_lint.text.lexer import Token, TokenKind

#: Statement kinds live mode never sends and never mentions.
SKIPPED_KINDS = (Kind.PSQL_META, Kind.COPY_DATA, Kind.TCL)

#: Object words after CREATE / ALTER / DROP, and the namespace their names live in.
OBJECT_WORDS = {
    "TABLE": ("relation", "table"),
    "VIEW": ("relation", "view"),
    "INDEX": ("relation", "index"),
    "SEQUENCE": ("relation", "sequence"),
    "SCHEMA": ("schema", "schema"),
    "FUNCTION": ("function", "function"),
    "PROCEDURE": ("function", "procedure"),
    "TYPE": ("type", "type"),
    "DOMAIN": ("type", "domain"),
}
_CREATE_MODIFIERS = frozenset(
    {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE", "RECURSIVE", "MATERIALIZED"}
)

#: First words of statements that are never run, with the reason.
_REFUSED_HEADS: dict[tuple[str, ...], str] = {
    ("COPY",): "COPY moves data in or out of the cluster",
    ("NOTIFY",): "NOTIFY signals other sessions",
    ("LISTEN",): "LISTEN changes session state",
    ("UNLISTEN",): "UNLISTEN changes session state",
    ("CALL",): "procedures can commit, wait or start background jobs (for example sys.wait_for_job)",
    ("DO",): "an anonymous code block can do anything",
    ("VACUUM",): "VACUUM cannot run inside a transaction block",
    ("ANALYZE",): "ANALYZE may start a statistics job on DSQL that a rollback does not cancel",
    ("CLUSTER",): "CLUSTER rewrites tables",
    ("REINDEX",): "REINDEX may not run inside a transaction block",
    ("CHECKPOINT",): "CHECKPOINT has cluster-wide effects",
    ("DISCARD",): "DISCARD cannot run inside a transaction block",
    ("LOAD",): "LOAD loads server code",
    ("ALTER", "SYSTEM"): "ALTER SYSTEM changes the server configuration",
    ("CREATE", "DATABASE"): "CREATE DATABASE cannot run inside a transaction block",
    ("DROP", "DATABASE"): "DROP DATABASE cannot run inside a transaction block",
    ("ALTER", "DATABASE"): "ALTER DATABASE changes cluster-wide settings",
    ("CREATE", "TABLESPACE"): "CREATE TABLESPACE cannot run inside a transaction block",
    ("DROP", "TABLESPACE"): "DROP TABLESPACE cannot run inside a transaction block",
    ("REFRESH",): "REFRESH MATERIALIZED VIEW rewrites data",
    ("CREATE", "ROLE"): "role changes are shared by the whole cluster and its IAM mappings",
    ("CREATE", "USER"): "role changes are shared by the whole cluster and its IAM mappings",
    ("CREATE", "GROUP"): "role changes are shared by the whole cluster and its IAM mappings",
    ("ALTER", "ROLE"): "role changes are shared by the whole cluster and its IAM mappings",
    ("ALTER", "USER"): "role changes are shared by the whole cluster and its IAM mappings",
    ("ALTER", "GROUP"): "role changes are shared by the whole cluster and its IAM mappings",
    ("DROP", "ROLE"): "role changes are shared by the whole cluster and its IAM mappings",
    ("DROP", "USER"): "role changes are shared by the whole cluster and its IAM mappings",
    ("DROP", "GROUP"): "role changes are shared by the whole cluster and its IAM mappings",
    ("AWS", "IAM"): "AWS IAM GRANT/REVOKE changes which IAM identities may log in",
    ("PREPARE", "TRANSACTION"): "two-phase commit would outlive the rollback",
    ("COMMIT", "PREPARED"): "two-phase commit would outlive the rollback",
    ("SET", "SESSION", "AUTHORIZATION"): "changing the session user would change what later checks see",
}

#: Functions whose effects a rollback does not undo.
SIDE_EFFECT_FUNCTIONS = frozenset(
    {
        "nextval",
        "setval",
        "pg_advisory_lock",
        "pg_advisory_lock_shared",
        "pg_try_advisory_lock",
        "pg_try_advisory_lock_shared",
        "pg_notify",
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_switch_wal",
        "pg_create_restore_point",
        "pg_create_physical_replication_slot",
        "pg_create_logical_replication_slot",
        "pg_drop_replication_slot",
        "lo_import",
        "lo_export",
        "lo_unlink",
        "dblink",
        "dblink_exec",
        "pg_sleep",
        "pg_sleep_for",
        "pg_sleep_until",
        "wait_for_job",
        "pg_file_write",
    }
)
#: Functions that run SQL given as text: what the text does cannot be known, so they are never run.
SQL_RUNNING_FUNCTIONS = frozenset(
    {
        "query_to_xml",
        "query_to_xmlschema",
        "query_to_xml_and_xmlschema",
        "cursor_to_xml",
        "cursor_to_xmlschema",
        "table_to_xml",
        "dblink",
        "dblink_exec",
        "dblink_open",
        "dblink_send_query",
    }
)


@dataclass
class ObjectName:
    """A (possibly schema-qualified) object name and where it is written."""

    namespace: str  # relation, schema, function, type
    label: str  # table, view, index ... for messages
    schema: str | None
    name: str
    start: int
    end: int

    def key(self, default_schema: str) -> tuple[str, str]:
        """(schema, name), with the search path's schema for unqualified names."""
        if self.namespace == "schema":
            return (self.name, self.name)
        return (self.schema or default_schema, self.name)

    def display(self, default_schema: str) -> str:
        """``schema.name`` (or the schema name for a schema)."""
        schema, name = self.key(default_schema)
        return name if self.namespace == "schema" else f"{schema}.{name}"


@dataclass
class Analysis:
    """One statement's effect on the catalog and whether live mode may run it."""

    action: str = "other"  # create, alter, drop, other
    targets: list[ObjectName] = field(default_factory=list)
    guarded: bool = False  # IF [NOT] EXISTS or OR REPLACE
    index_table: ObjectName | None = None  # the table of CREATE INDEX
    table_indexes: int = 0  # PRIMARY KEY / UNIQUE constraints of CREATE TABLE, ALTER TABLE ADD
    references: list[ObjectName] = field(default_factory=list)  # relations used but not created here
    refusal: str | None = None
    explain: bool = False  # DML and queries: checked with EXPLAIN
    #: Why running the statement could destroy what a rollback might not bring back (DSQL does not
    #: document DDL rollback): it is then checked from the catalog only, unless --scratch-cluster.
    destructive: str | None = None


def _ident(tok: Token) -> str:
    if tok.kind is TokenKind.QIDENT and tok.text.startswith('"'):
        return tok.text[1:-1].replace('""', '"')
    return tok.text.lower()


def _is_name(tok: Token) -> bool:
    return tok.kind in (TokenKind.WORD, TokenKind.QIDENT)


def read_name(stmt: Statement, i: int, namespace: str, label: str) -> tuple[ObjectName | None, int]:
    """The qualified name starting at token ``i`` and the index after it."""
    tokens = stmt.tokens
    if i >= len(tokens) or not _is_name(tokens[i]):
        return None, i
    parts = [tokens[i]]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and _is_name(tokens[j + 1]):
        parts.append(tokens[j + 1])
        j += 2
    names = [_ident(t) for t in parts]
    schema = names[-2] if len(names) >= 2 else None
    return ObjectName(namespace, label, schema, names[-1], parts[0].start, parts[-1].end), j


def _skip(stmt: Statement, i: int, *words: str) -> int:
    """Skip the word run ``words`` at ``i`` when it is there."""
    if stmt.words[i : i + len(words)] == list(words) and all(
        stmt.tokens[i + k].kind is TokenKind.WORD for k in range(len(words))
    ):
        return i + len(words)
    return i


def _object_word(stmt: Statement, i: int) -> tuple[str, str, int] | None:
    words = stmt.words
    if i < len(words) and words[i] == "MATERIALIZED" and i + 1 < len(words) and words[i + 1] == "VIEW":
        return "relation", "materialized view", i + 2
    if i < len(words) and words[i] in OBJECT_WORDS:
        namespace, label = OBJECT_WORDS[words[i]]
        return namespace, label, i + 1
    return None


#: The statements EXPLAIN can be put in front of (PostgreSQL's ExplainableStmt), by first word.
EXPLAINABLE = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE", "WITH", "EXECUTE"})


def destructive(stmt: Statement) -> str | None:
    """Why running ``stmt`` could destroy data or definitions a rollback might not restore, or None."""
    words = stmt.words
    if not words:
        return None
    if words[0] == "DROP":
        return f"{stmt.tag or 'DROP'} removes an object and its data"
    if words[0] == "ALTER" and stmt.has("DROP", depth=0):
        return f"{stmt.tag} with DROP removes a column, a constraint or a default"
    if words[0] == "CREATE" and stmt.find("OR", "REPLACE", stop=4) != -1:
        return "CREATE OR REPLACE overwrites an existing definition"
    if stmt.kind is Kind.DML and words[0] in ("DELETE", "UPDATE", "MERGE", "INSERT", "WITH"):
        return f"{words[0]} changes rows"
    return None


def refusal(stmt: Statement) -> str | None:
    """Why live mode must not run ``stmt``, or None when a rolled-back transaction contains it."""
    words = stmt.words
    if stmt.kind in (Kind.DML, Kind.QUERY) and words and words[0] not in EXPLAINABLE:
        if words[0] == "EXPLAIN" and not stmt.has("ANALYZE") and not stmt.has("ANALYSE"):
            return None  # a plain EXPLAIN runs nothing: it is sent as it is
        return f"{words[0]} cannot be checked with EXPLAIN, and running it could change data or session state"
    for head, reason in _REFUSED_HEADS.items():
        if stmt.starts_with(*head):
            return reason
    if stmt.starts_with("CREATE") and stmt.has("INDEX") and stmt.has("ASYNC"):
        return "CREATE INDEX ASYNC starts a background index build job on DSQL that a rollback may not cancel"
    if stmt.starts_with("ALTER", "TABLE") and stmt.has("ASYNC", depth=0):
        return "ALTER TABLE ASYNC starts a background job on DSQL that a rollback may not cancel"
    if stmt.starts_with("CREATE") and stmt.has("INDEX") and stmt.has("CONCURRENTLY"):
        return "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"
    if stmt.starts_with("DROP", "INDEX") and stmt.has("CONCURRENTLY"):
        return "DROP INDEX CONCURRENTLY cannot run inside a transaction block"
    materialized = stmt.starts_with("CREATE") and stmt.has("MATERIALIZED", "VIEW")
    table_as = stmt.tag == "CREATE TABLE" and any(stmt.has("AS", w, depth=0) for w in ("SELECT", "WITH", "VALUES"))
    if materialized or table_as:
        return "CREATE TABLE AS and CREATE MATERIALIZED VIEW run their query for real (EXPLAIN cannot check them)"
    for name in called_functions(stmt):
        if name in SQL_RUNNING_FUNCTIONS:
            return f"it calls {name}(), which runs SQL given as text: what that SQL does cannot be known"
        if name in SIDE_EFFECT_FUNCTIONS:
            return f"it calls {name}(), whose effect a rollback does not undo"
    return None


def called_functions(stmt: Statement) -> list[str]:
    """The functions ``stmt`` calls, by name (schema dropped), as PostgreSQL's parse tree has them.

    The tree sees through spellings (``"setval"(...)``, ``pg_catalog."nextval"(...)``); a statement
    PostgreSQL does not parse falls back to the tokens, quoted names included.
    """
    import json

    from dsql_lint.frontend.pgsyntax import masked_text

    text = masked_text(stmt)
    if text is not None:
        try:
            from pglast.parser import parse_sql_json

            tree = json.loads(parse_sql_json(text))
        except Exception:  # not PostgreSQL 16 syntax, or pglast missing: read the tokens
            tree = None
        if tree is not None:
            names: list[str] = []
            _collect_calls(tree, names)
            return names
    found = []
    tokens = stmt.tokens
    for i, tok in enumerate(tokens[:-1]):
        if tokens[i + 1].text == "(" and tok.kind in (TokenKind.WORD, TokenKind.QIDENT):
            found.append(tok.identifier.lower() if tok.kind is TokenKind.WORD else tok.identifier)
    return found


def _collect_calls(node: Any, names: list[str]) -> None:
    if isinstance(node, dict):
        call = node.get("FuncCall")
        if isinstance(call, dict):
            parts = [p.get("String", {}).get("sval", "") for p in call.get("funcname", []) if isinstance(p, dict)]
            if parts:
                names.append(parts[-1])
        for value in node.values():
            _collect_calls(value, names)
    elif isinstance(node, list):
        for item in node:
            _collect_calls(item, names)


def analyze(stmt: Statement) -> Analysis:
    """The statement's catalog effect, its referenced relations, and any refusal reason."""
    result = Analysis(refusal=refusal(stmt))
    words = stmt.words
    result.explain = stmt.kind in (Kind.DML, Kind.QUERY) and bool(words) and words[0] in EXPLAINABLE
    result.destructive = destructive(stmt)
    if words and words[0] in ("CREATE", "ALTER", "DROP"):
        _head(stmt, result)
    result.references = _references(stmt, result)
    return result


def _head(stmt: Statement, result: Analysis) -> None:
    words = stmt.words
    verb = words[0]
    i = 1
    if verb == "CREATE":
        while (
            i < len(words)
            and words[i] in _CREATE_MODIFIERS
            and not (words[i] == "MATERIALIZED" and i + 1 < len(words) and words[i + 1] == "VIEW")
        ):
            if words[i] == "REPLACE":
                result.guarded = True
            i += 1
    found = _object_word(stmt, i)
    if found is None:
        return
    namespace, label, i = found
    result.action = verb.lower()
    if label == "index":
        i = _skip(stmt, i, "ASYNC")
        i = _skip(stmt, i, "CONCURRENTLY")
    for guard in (("IF", "NOT", "EXISTS"), ("IF", "EXISTS")):
        after = _skip(stmt, i, *guard)
        if after != i:
            result.guarded = True
            i = after
    if verb == "CREATE" and label == "index":
        _create_index(stmt, i, result)
        return
    if verb == "CREATE" and label == "schema" and i < len(words) and words[i] == "AUTHORIZATION":
        name, _ = read_name(stmt, i + 1, namespace, label)
    else:
        if verb == "ALTER" and label == "table":
            i = _skip(stmt, i, "ASYNC")  # DSQL's ALTER TABLE ASYNC t VALIDATE CONSTRAINT c
        i = _skip(stmt, i, "ONLY")
        name, i = read_name(stmt, i, namespace, label)
    if name is None:
        return
    result.targets.append(name)
    if verb == "DROP":
        while i < len(words):
            if stmt.tokens[i].text == "(":
                i = stmt.closing(i) + 1
                continue
            if stmt.tokens[i].text != ",":
                break
            more, i = read_name(stmt, i + 1, namespace, label)
            if more is None:
                break
            result.targets.append(more)
    if verb in ("CREATE", "ALTER") and label == "table":
        result.table_indexes = sum(
            1
            for k, w in enumerate(words)
            if w == "UNIQUE" or (w == "PRIMARY" and k + 1 < len(words) and words[k + 1] == "KEY")
        )


def _create_index(stmt: Statement, i: int, result: Analysis) -> None:
    words = stmt.words
    name = None
    if i < len(words) and words[i] != "ON":
        name, i = read_name(stmt, i, "relation", "index")
    if i >= len(words) or words[i] != "ON":
        return
    i = _skip(stmt, i + 1, "ONLY")
    table, _ = read_name(stmt, i, "relation", "table")
    if table is None:
        return
    result.index_table = table
    if name is not None:
        name.schema = table.schema  # an index lives in its table's schema
        result.targets.append(name)


def _references(stmt: Statement, result: Analysis) -> list[ObjectName]:
    """Relations the statement uses besides the ones it creates (from the syntax tree when there is one)."""
    refs: list[ObjectName] = []
    if result.action in ("alter", "drop"):
        refs.extend(t for t in result.targets)
    if result.index_table is not None:
        refs.append(result.index_table)
    # ADD CONSTRAINT ... USING INDEX i: the index is a relation the statement needs (an earlier
    # CREATE UNIQUE INDEX ASYNC i of the run is never sent, so the cluster does not have it).
    tokens = stmt.tokens
    for k in range(len(tokens) - 2):
        if tokens[k].is_word("USING") and tokens[k + 1].is_word("INDEX") and _is_name(tokens[k + 2]):
            tok = tokens[k + 2]
            schema = result.targets[0].schema if result.targets else None
            refs.append(ObjectName("relation", "index", schema, _ident(tok), tok.start, tok.end))
    if stmt.ast is None:
        return refs
    from sqlglot import exp

    created = {(t.schema, t.name) for t in result.targets} if result.action == "create" else set()
    ctes = {cte.alias_or_name.lower() for cte in stmt.ast.find_all(exp.CTE)}
    seen = {(r.schema, r.name) for r in refs}
    for table in stmt.ast.find_all(exp.Table):
        ident = table.this
        if not isinstance(ident, exp.Identifier):
            continue
        name = ident.this if ident.quoted else ident.this.lower()
        db = table.args.get("db")
        schema = None
        if isinstance(db, exp.Identifier):
            schema = db.this if db.quoted else db.this.lower()
        if (schema, name) in created or (schema, name) in seen or (schema is None and name in ctes):
            continue
        seen.add((schema, name))
        start, end = _locate(stmt, name)
        refs.append(ObjectName("relation", "table", schema, name, start, end))
    return refs


def _locate(stmt: Statement, name: str) -> tuple[int, int]:
    for tok in stmt.tokens:
        if _is_name(tok) and _ident(tok) == name:
            return tok.start, tok.end
    first = stmt.tokens[0]
    return first.start, first.end

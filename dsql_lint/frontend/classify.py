"""Say what each statement is (its command tag and kind) from its tokens and its tree.

The tag is derived from the leading tokens, the way PostgreSQL names a command
("CREATE INDEX", "ALTER TABLE", "SAVEPOINT"), because sqlglot misreads several
statements (``SAVEPOINT s``, ``START TRANSACTION`` and ``LISTEN c`` become
aliases) and falls back to a bare ``Command`` for much DDL. The syntax tree only
refines the answer (a data-modifying CTE makes a SELECT a DML statement); it is
never needed to know what a statement is.
"""

from __future__ import annotations

from collections.abc import Sequence

from dsql_lint.model import Kind, Statement
from dsql_lint.text.lexer import PUNCT, WORD

# Words between CREATE and the object type that do not change the object type.
_CREATE_MODIFIERS = frozenset(
    {
        "OR",
        "REPLACE",
        "GLOBAL",
        "LOCAL",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "UNIQUE",
        "CONSTRAINT",
        "RECURSIVE",
        "TRUSTED",
        "PROCEDURAL",
        "DEFAULT",
    }
)

# Object types written with more than one word, longest first.
_MULTIWORD_OBJECTS: tuple[tuple[str, ...], ...] = (
    ("FOREIGN", "DATA", "WRAPPER"),
    ("TEXT", "SEARCH", "CONFIGURATION"),
    ("TEXT", "SEARCH", "DICTIONARY"),
    ("TEXT", "SEARCH", "PARSER"),
    ("TEXT", "SEARCH", "TEMPLATE"),
    ("MATERIALIZED", "VIEW"),
    ("FOREIGN", "TABLE"),
    ("EVENT", "TRIGGER"),
    ("ACCESS", "METHOD"),
    ("USER", "MAPPING"),
    ("OPERATOR", "CLASS"),
    ("OPERATOR", "FAMILY"),
    ("DEFAULT", "PRIVILEGES"),
    ("PROPERTY", "GRAPH"),
    ("LARGE", "OBJECT"),
    ("ROUTINE",),
)

_DDL_LEADERS = frozenset(
    {"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "SECURITY", "REFRESH", "IMPORT", "REASSIGN"}
)
_DML_LEADERS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"})
_QUERY_LEADERS = frozenset({"SELECT", "VALUES", "TABLE", "EXPLAIN", "FETCH", "MOVE"})
_SESSION_LEADERS = frozenset(
    {
        "SET",
        "RESET",
        "SHOW",
        "DISCARD",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
        "DECLARE",
        "CLOSE",
        "LISTEN",
        "NOTIFY",
        "UNLISTEN",
        "LOCK",
        "VACUUM",
        "ANALYZE",
        "ANALYSE",
        "CHECKPOINT",
        "LOAD",
        "DO",
        "CALL",
        "CLUSTER",
        "REINDEX",
    }
)


#: The multi-word object types by their first word, in the order of ``_MULTIWORD_OBJECTS``.
_MULTIWORD_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(multi for multi in _MULTIWORD_OBJECTS if multi[0] == first)
    for first in {multi[0] for multi in _MULTIWORD_OBJECTS}
}

# Enum members as module constants: ``TokenKind.WORD`` costs a metaclass attribute lookup per use.
_DDL = Kind.DDL
_DML = Kind.DML
_QUERY = Kind.QUERY
_TCL = Kind.TCL
_SESSION = Kind.SESSION
_UNKNOWN = Kind.UNKNOWN
_PSQL_META = Kind.PSQL_META
_COPY_DATA = Kind.COPY_DATA

_TCL_TAGS = frozenset(
    {
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "ROLLBACK TO",
        "SAVEPOINT",
        "RELEASE",
        "PREPARE TRANSACTION",
        "COMMIT PREPARED",
        "ROLLBACK PREPARED",
    }
)


def _object_words(words: Sequence[str], i: int) -> tuple[str, ...]:
    if i >= len(words):
        return ()
    for multi in _MULTIWORD_BY_FIRST.get(words[i], ()):
        if tuple(words[i : i + len(multi)]) == multi:
            return multi
    return (words[i],)


def command_tag(stmt: Statement) -> str:
    """The PostgreSQL-style command tag of a statement, e.g. ``CREATE INDEX``."""
    tokens = stmt.tokens
    words = stmt.words
    i = 0
    while i < len(tokens) and tokens[i].kind is PUNCT and tokens[i].text == "(":
        i += 1  # (SELECT ...) UNION ...
    if i >= len(tokens) or tokens[i].kind is not WORD:
        return ""
    first = words[i]
    second = words[i + 1] if i + 1 < len(words) and tokens[i + 1].kind is WORD else ""
    if first == "CREATE":
        j = i + 1
        while j < len(words) and words[j] in _CREATE_MODIFIERS and tokens[j].kind is WORD:
            if words[j] == "DEFAULT" and j + 1 < len(words) and words[j + 1] == "PRIVILEGES":
                break
            j += 1
        return " ".join(("CREATE", *_object_words(words, j)))
    if first in ("ALTER", "DROP"):
        if first == "DROP" and second == "OWNED":
            return "DROP OWNED"
        return " ".join((first, *_object_words(words, i + 1)))
    if first == "AWS" and second == "IAM" and i + 2 < len(words) and words[i + 2] in ("GRANT", "REVOKE"):
        return f"AWS IAM {words[i + 2]}"  # DSQL's own role mapping: AWS IAM GRANT role TO 'arn:...'
    if first in ("BEGIN", "START"):
        return "BEGIN"
    if first in ("COMMIT", "END"):
        return "COMMIT PREPARED" if second == "PREPARED" else "COMMIT"
    if first in ("ROLLBACK", "ABORT"):
        if second == "PREPARED":
            return "ROLLBACK PREPARED"
        if stmt.find("TO", start=i + 1, stop=i + 4) != -1:
            return "ROLLBACK TO"
        return "ROLLBACK"
    if first == "RELEASE":
        return "RELEASE"
    if first == "PREPARE" and second == "TRANSACTION":
        return "PREPARE TRANSACTION"
    if first == "SET" and second in ("TRANSACTION", "CONSTRAINTS", "ROLE"):
        return f"SET {second}"
    if first == "SET" and second == "SESSION" and stmt.find("CHARACTERISTICS", start=i + 2, stop=i + 4) != -1:
        return "SET SESSION CHARACTERISTICS"
    if first == "SECURITY":
        return "SECURITY LABEL"
    if first == "REFRESH":
        return "REFRESH MATERIALIZED VIEW"
    if first == "IMPORT":
        return "IMPORT FOREIGN SCHEMA"
    if first == "REASSIGN":
        return "REASSIGN OWNED"
    if first == "COMMENT":
        return "COMMENT"
    if first == "WITH":
        return _with_tag(stmt, i)
    if first == "SELECT" and _select_into(stmt, i):
        return "SELECT INTO"
    if first == "ANALYSE":
        return "ANALYZE"
    return first


def _with_tag(stmt: Statement, i: int) -> str:
    depths = stmt.depths
    base = depths[i]
    for j in range(i + 1, len(stmt.tokens)):
        if (
            depths[j] == base
            and stmt.tokens[j].kind is WORD
            and stmt.words[j] in ("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE")
        ):
            if stmt.words[j] == "SELECT" and _select_into(stmt, j):
                return "SELECT INTO"
            return stmt.words[j]
    return "WITH"


def _select_into(stmt: Statement, i: int) -> bool:
    depth = stmt.depths[i]
    j = stmt.find("INTO", start=i + 1, depth=depth)
    if j == -1:
        return False
    k = stmt.find("FROM", start=i + 1, depth=depth)
    return k == -1 or j < k


def _has_data_modifying_cte(stmt: Statement) -> bool:
    for j, tok in enumerate(stmt.tokens):
        if (
            tok.kind is WORD
            and stmt.words[j] in ("INSERT", "UPDATE", "DELETE", "MERGE")
            and j > 0
            and stmt.tokens[j - 1].text == "("
            and stmt.depths[j] > 0
        ):
            return True
    return False


def kind_of_tag(stmt: Statement, tag: str) -> Kind:
    """The statement kind implied by its tag (and, for COPY and EXPLAIN, its direction)."""
    leader = tag.split(" ", 1)[0] if tag else ""
    if tag in _TCL_TAGS:
        return _TCL
    if tag == "SELECT INTO":
        return _DDL
    if tag == "ALTER SYSTEM":
        return _SESSION
    if tag.startswith("AWS IAM "):
        return _DDL  # like GRANT and REVOKE
    if leader in _DDL_LEADERS:
        return _DDL
    if leader == "COPY":
        return _DML if stmt.has("FROM") else _QUERY
    if leader in _DML_LEADERS:
        return _DML
    if leader in _QUERY_LEADERS:
        if leader == "EXPLAIN" and stmt.has("ANALYZE") and any(w in stmt.words for w in _DML_LEADERS):
            return _DML
        if stmt.words and stmt.words[0] == "WITH" and _has_data_modifying_cte(stmt):
            return _DML
        return _QUERY
    if leader in _SESSION_LEADERS:
        return _SESSION
    return _UNKNOWN


def classify(stmt: Statement) -> None:
    """Set ``stmt.tag`` and ``stmt.kind`` from the statement's leading tokens."""
    if stmt.kind is _PSQL_META or stmt.kind is _COPY_DATA:
        return
    stmt.tag = command_tag(stmt)
    stmt.kind = kind_of_tag(stmt, stmt.tag)


def refine_with_ast(stmt: Statement) -> None:
    """Use the syntax tree where the tokens left the kind open or hid a data change."""
    tree = stmt.ast
    if tree is None:
        return
    from sqlglot import exp  # a tree exists, so sqlglot is loaded already

    if isinstance(tree, exp.Command):
        return
    if stmt.kind is Kind.UNKNOWN:
        ast_kinds: tuple[tuple[type[exp.Expr], Kind], ...] = (
            (exp.Insert, Kind.DML),
            (exp.Update, Kind.DML),
            (exp.Delete, Kind.DML),
            (exp.Merge, Kind.DML),
            (exp.TruncateTable, Kind.DML),
            (exp.Create, Kind.DDL),
            (exp.Alter, Kind.DDL),
            (exp.Drop, Kind.DDL),
            (exp.Query, Kind.QUERY),
        )
        for node_type, kind in ast_kinds:
            if isinstance(tree, node_type):
                stmt.kind = kind
                return
    if (
        stmt.kind is Kind.QUERY
        and isinstance(tree, exp.Query)
        and tree.find(exp.Insert, exp.Update, exp.Delete, exp.Merge) is not None
    ):
        stmt.kind = Kind.DML

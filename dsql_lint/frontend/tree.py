"""PostgreSQL 16's own parse tree of every statement its grammar accepts: what rules read (issue 18).

DSQL's grammar is PostgreSQL 16's plus ``ASYNC`` in two places, so libpg_query (PostgreSQL's
parser as a library) gives the exact structure of a statement: a rule asks for node types
(``CreateStmt``, ``IndexStmt``, ``AlterTableCmd``, ``VariableSetStmt``, ``FuncCall`` ...) and
reads their fields, instead of rebuilding that structure from tokens.

- A file's trees are made together, on the first read of any :attr:`Statement.tree
  <dsql_lint.model.Statement.tree>` of the file: the accepted statements' texts, end to end
  (as :func:`dsql_lint.frontend.pgsyntax.accepted` joins them), go to ``pg_query_parse`` in one call per
  500 statements (runs cut by :func:`dsql_lint.frontend.pgsyntax.joinable_runs`), and ``json.loads``
  makes the dictionaries. A file no rule asks about is never
  turned into trees.
- Positions: libpg_query's ``location`` fields are byte offsets in the text it was given. That
  text is the statement's own, with DSQL's ``ASYNC`` blanked and every non-ASCII character
  replaced by ``x`` (:func:`dsql_lint.frontend.pgsyntax.dsql_text`): same length, one byte per
  character, so :meth:`Tree.offset` turns a location into the offset of the character in the
  source by adding where the statement starts. Nodes without a location (an ``IndexElem``'s
  ``DESC``) are found in the statement's tokens.
- A statement PostgreSQL's grammar rejects has no tree (None); it is handled by the old path
  (its sqlglot parse and DSQL001), and the file's other statements keep their trees.

The JSON is libpg_query's: each node is ``{"NodeType": {field: value, ...}}``, lists are JSON
lists, scalars are JSON scalars, and fields at their default (0, false, empty) are left out.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from dsql_lint.frontend import pgsyntax

if TYPE_CHECKING:
    from dsql_lint.model import Statement


class Tree:
    """One statement's parse tree: its node type, its fields, and how its locations map to the source."""

    __slots__ = ("base", "body", "kind")

    def __init__(self, kind: str, body: dict[str, Any], base: int) -> None:
        #: The statement's node type, e.g. ``"CreateStmt"``.
        self.kind = kind
        #: Its fields, as libpg_query's JSON has them.
        self.body = body
        #: The source offset of location 0 of the text the parser read.
        self.base = base

    def offset(self, location: int) -> int:
        """The source offset of a node's ``location``."""
        return self.base + location

    def nodes(self, *kinds: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every node under the statement (the statement's own first), as ``(type, fields)``, depth
        first in the order of the JSON; only nodes of ``kinds`` when any are given."""
        wanted = frozenset(kinds)
        for kind, body in walk({self.kind: self.body}):
            if not wanted or kind in wanted:
                yield kind, body

    def __repr__(self) -> str:
        return f"Tree({self.kind}, base={self.base})"


def walk(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(type, fields)`` of every node in a piece of libpg_query JSON, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                ((key, value),) = item.items()
                if isinstance(value, dict) and key[:1].isupper():
                    yield key, value
                    stack.extend(reversed(list(value.values())))
                    continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def names(node: dict[str, Any] | None, field: str = "funcname") -> list[str]:
    """The strings of a name list (``funcname``, ``names``, ``defnames`` ...): ``["pg_catalog", "now"]``."""
    if not node:
        return []
    return [part["String"].get("sval", "") for part in node.get(field, ()) if "String" in part]


class Batch:
    """The statements of one file that PostgreSQL's grammar accepted, turned into trees on first use.

    It holds them weakly: each statement holds its batch until its tree is made, and a cycle
    would leave every file's statements to the garbage collector.
    """

    __slots__ = ("statements",)

    def __init__(self, statements: Sequence[Statement] = ()) -> None:
        self.statements: list[weakref.ref[Statement]] = [weakref.ref(s) for s in statements]

    def add(self, stmt: Statement) -> None:
        """One more statement of the file."""
        self.statements.append(weakref.ref(stmt))

    def fill(self) -> None:
        """Give every statement of the batch its tree (None where none can be had)."""

        def texts() -> Iterator[tuple[Statement, str]]:
            for ref in self.statements:
                stmt = ref()
                if stmt is None:
                    continue
                text = pgsyntax.dsql_text(stmt)
                if text is None:
                    stmt._tree = None
                    continue
                yield stmt, text

        for run, joined in pgsyntax.joinable_runs(texts()):
            _parse_together(run, joined)


def _parse_together(run: list[Statement], texts: list[str]) -> None:
    starts = []
    at = 0
    for text in texts:
        starts.append(at)
        at += len(text)
    found = _trees("".join(texts))
    if found is not None and [loc for loc, _, _ in found] == starts:
        for stmt, start, (_, kind, body) in zip(run, starts, found, strict=True):
            stmt._tree = Tree(kind, body, stmt.start - start)
        return
    for stmt, text in zip(run, texts, strict=True):  # one at a time: each gets what it gets alone
        alone = _trees(text)
        stmt._tree = Tree(alone[0][1], alone[0][2], stmt.start) if alone and len(alone) == 1 else None


def _trees(text: str) -> list[tuple[int, str, dict[str, Any]]] | None:
    """``(location, type, fields)`` of each statement libpg_query reads in ``text``; None on an error."""
    import json

    raw = pgsyntax.parse_json(text)
    if raw is None:
        return None
    found = []
    for entry in json.loads(raw).get("stmts", []):
        stmt = entry.get("stmt")
        if not stmt:
            return None  # an empty statement (a lone ';'): not one of ours
        ((kind, body),) = stmt.items()
        found.append((int(entry.get("stmt_location", 0)), kind, body))
    return found

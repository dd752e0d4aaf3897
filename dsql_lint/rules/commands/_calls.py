"""Finding calls of functions by name, for the rules about functions DSQL does not have."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dsql_lint.frontend.syntax import PUNCT, WORD
from dsql_lint.frontend.tree import names as tree_names
from dsql_lint.model import Statement
from dsql_lint.text.lexer import Token

#: KELVIN SIGN, the one character besides ASCII letters whose ``lower()`` is an ASCII letter (``k``);
#: its ``upper()`` is itself, so a name spelt with it is a call whose ``stmt.words`` entry differs.
_KELVIN = "\u212a"


def upper_spellings(name: str) -> set[str]:
    """Every ``text.upper()`` of a word whose ``text.lower()`` is ``name`` (an ASCII name)."""
    spellings = {""}
    for ch in name.upper():
        variants = (ch, _KELVIN) if ch == "K" else (ch,)
        spellings = {s + v for s in spellings for v in variants}
    return spellings


def gate_words(names: Iterable[str]) -> frozenset[str]:
    """The ``stmt.words`` entries a call of one of ``names`` puts in a statement (a rule's ``words`` gate):
    the name unquoted in any case, or quoted as PostgreSQL stores it (``"pg_advisory_lock"``)."""
    names = list(names)
    return frozenset([w for name in names for w in upper_spellings(name)] + [f'"{name}"' for name in names])


def calls(stmt: Statement, names: frozenset[str]) -> Iterator[Token]:
    """The name tokens of calls of ``names`` (``name(``, ``pg_catalog.name(``, ``"name"(``) in ``stmt``, in order.

    Read from PostgreSQL's parse tree: every ``FuncCall`` node whose function name, as PostgreSQL
    folds it (unquoted to lower case, quoted as written), is one of ``names``; a definition
    (``CREATE FUNCTION name``) is no call. A statement PostgreSQL's grammar rejects has no tree:
    its tokens are searched instead.
    """
    tree = stmt.tree
    if tree is None:
        yield from _token_calls(stmt, names)
        return
    found = []
    for _, call in tree.nodes("FuncCall"):
        name = tree_names(call)
        if not name or name[-1] not in names:
            continue
        i = stmt.token_index(tree.offset(call.get("location", 0)))
        tokens = stmt.tokens
        if i < 0:
            continue
        while i + 1 < len(tokens) and not (tokens[i + 1].kind is PUNCT and tokens[i + 1].text == "("):
            i += 1  # past ``schema .`` to the name itself, the token before the bracket
        found.append(tokens[i])
    yield from sorted(found, key=lambda tok: tok.start)


def _token_calls(stmt: Statement, names: frozenset[str]) -> Iterator[Token]:
    """:func:`calls` from the tokens, for a statement without a tree: ``name(`` or ``schema.name(``
    (a name after ``FUNCTION``, ``PROCEDURE`` or ``ROUTINE`` is a definition, not a call)."""
    tokens = stmt.tokens
    for i, tok in enumerate(tokens):
        if tok.kind is not WORD or tok.text.lower() not in names:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].kind is not PUNCT or tokens[i + 1].text != "(":
            continue
        before = i - 2 if i >= 2 and tokens[i - 1].kind is PUNCT and tokens[i - 1].text == "." else i
        if before > 0 and tokens[before - 1].is_word("FUNCTION", "PROCEDURE", "ROUTINE"):
            continue
        yield tok

"""Finding calls of functions by name, for the rules about functions DSQL does not have."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dsql_lint.lexer import Token
from dsql_lint.model import Statement
from dsql_lint.syntax import PUNCT, WORD

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
    """The ``stmt.words`` entries a call of one of ``names`` puts in a statement (a rule's ``words`` gate)."""
    return frozenset(w for name in names for w in upper_spellings(name))


def calls(stmt: Statement, names: frozenset[str]) -> Iterator[Token]:
    """The name tokens of calls of ``names`` (``name(``, ``pg_catalog.name(``) in ``stmt``, in order.

    A name after ``FUNCTION``, ``PROCEDURE`` or ``ROUTINE`` is a definition, not a call.
    """
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

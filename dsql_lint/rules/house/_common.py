"""Shared wording and token helpers for the house rules (the team's usage requirements).

House rules enforce ``/work/shared/seeds``' "Aurora DSQL Usage Requirements":
DSQL accepts what they flag, the team does not. Every message starts with
:func:`house_prefix`, so a reader knows at once that the statement would run and
which requirement it breaks.
"""

from __future__ import annotations

from dsql_lint.frontend.syntax import PUNCT
from dsql_lint.model import Statement


def house_prefix(requirement: str) -> str:
    """The start of a house-rule message: ``house_prefix("2: no sequences")`` gives
    ``house rule (no sequences): ``. The requirement's number stays in the code that calls
    this, for the rule pages; a reader of the message is told only what the house asks."""
    return f"house rule ({requirement.split(':', 1)[-1].strip()}): "


def is_call(stmt: Statement, i: int) -> bool:
    """True if token ``i`` is a function name immediately followed by ``(``."""
    tokens = stmt.tokens
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return nxt.kind is PUNCT and nxt.text == "("

"""The sqlglot dialect for Aurora DSQL: PostgreSQL plus DSQL's asynchronous DDL.

DSQL adds ``ASYNC`` in two places: ``CREATE [UNIQUE] INDEX ASYNC [IF NOT EXISTS]
[name] ON ...`` and ``ALTER TABLE ASYNC ... VALIDATE CONSTRAINT``. Plain sqlglot
raises a ParseError on the first (``CREATE INDEX ASYNC i ON t (a DESC)``).

sqlglot's compiled parser (``sqlglotc``) cannot be subclassed from Python, so the
dialect extends PostgreSQL at the token level: it recognises the ``ASYNC``
keyword, takes it out of the token stream before the PostgreSQL grammar sees it,
and records it on the resulting tree as ``meta["dsql_async"] = True``. Positions
are unaffected because every token keeps its offsets into the original text.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.tokens import Token as SqlglotToken
from sqlglot.tokens import TokenType

# sqlglot logs a warning whenever it falls back to exp.Command; we classify those
# statements ourselves and must not print anything on the lint path.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def _strip_async(tokens: list[SqlglotToken]) -> tuple[list[SqlglotToken], bool]:
    """Remove DSQL's ASYNC keyword from a token list; report whether it was there."""
    for i, tok in enumerate(tokens):
        if tok.text.upper() != "ASYNC" or i < 2:
            continue
        prev, before = tokens[i - 1], tokens[i - 2]
        if prev.token_type is TokenType.INDEX and before.token_type in (TokenType.CREATE, TokenType.UNIQUE):
            return tokens[:i] + tokens[i + 1 :], True
        if prev.token_type is TokenType.TABLE and before.token_type is TokenType.ALTER:
            return tokens[:i] + tokens[i + 1 :], True
    return tokens, False


_STORAGE_MODES = frozenset({"PLAIN", "EXTERNAL", "EXTENDED", "MAIN", "DEFAULT"})


def _is_dropped_option(upper: str, following: SqlglotToken, in_identity: bool, depth: int) -> bool:
    if in_identity and upper == "CACHE":
        return following.token_type is TokenType.NUMBER
    return upper == "STORAGE" and depth >= 1 and following.text.upper() in _STORAGE_MODES


def _strip_unparsed_options(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop PostgreSQL options sqlglot's grammar lacks but DSQL migrations use all the time.

    ``CACHE n`` inside ``GENERATED ... AS IDENTITY (...)`` (DSQL requires it) and a
    column's ``STORAGE mode`` carry nothing the syntax tree is needed for: rules read
    them from tokens.
    """
    out: list[SqlglotToken] = []
    in_identity = 0  # paren depth of an identity option list, 0 when outside
    depth = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        upper = tok.text.upper()
        if kind is TokenType.L_PAREN:
            depth += 1
            if i >= 1 and tokens[i - 1].text.upper() == "IDENTITY":
                in_identity = depth
        elif kind is TokenType.R_PAREN:
            if in_identity == depth:
                in_identity = 0
            depth -= 1
        elif i + 1 < n and _is_dropped_option(upper, tokens[i + 1], in_identity > 0, depth):
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


class DSQL(Postgres):
    """Aurora DSQL: the PostgreSQL dialect with ``CREATE INDEX ASYNC`` and ``ALTER TABLE ASYNC``."""

    def parse(self, sql: str, **opts: Any) -> list[exp.Expr | None]:
        """Parse ``sql``; statements that used ``ASYNC`` carry ``meta['dsql_async']``."""
        tokens, is_async = _strip_async(self.tokenize(sql))
        tokens = _strip_unparsed_options(tokens)
        trees = self.parser(**opts).parse(tokens, sql)
        if is_async:
            for tree in trees:
                if tree is not None:
                    tree.meta["dsql_async"] = True
        return trees


#: The one dialect instance the linter uses.
DIALECT = DSQL()


def parse_one(sql: str) -> exp.Expr | None:
    """Parse one statement with the DSQL dialect; raises sqlglot's errors unchanged."""
    trees = DIALECT.parse(sql)
    for tree in trees:
        if tree is not None:
            return tree
    return None

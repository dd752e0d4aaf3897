"""The sqlglot dialect for Aurora DSQL: PostgreSQL plus DSQL's asynchronous DDL.

DSQL adds ``ASYNC`` in two places: ``CREATE [UNIQUE] INDEX ASYNC [IF NOT EXISTS]
[name] ON ...`` and ``ALTER TABLE ASYNC ... VALIDATE CONSTRAINT``. Plain sqlglot
raises a ParseError on the first (``CREATE INDEX ASYNC i ON t (a DESC)``).

sqlglot's compiled parser (``sqlglotc``) cannot be subclassed from Python, so the
dialect extends PostgreSQL at the token level: it recognises the ``ASYNC``
keyword, takes it out of the token stream before the PostgreSQL grammar sees it,
and records it on the resulting tree as ``meta["dsql_async"] = True``. Positions
are unaffected because every token keeps its offsets into the original text.

The same token stage closes the gaps between sqlglot's grammar and the
PostgreSQL 16 grammar that DSQL speaks, in three ways:

- **Options dropped** before sqlglot sees them, where PostgreSQL accepts them and
  rules read them from our own tokens anyway: identity ``CACHE [+|-]n``, a column's
  ``STORAGE mode`` and ``COMPRESSION method``, ``INSERT ... OVERRIDING {SYSTEM |
  USER} VALUE``, ``CREATE INDEX ... ON ONLY t``, the column list of a foreign key's
  ``ON DELETE SET NULL (cols)``, a CHECK's ``NO INHERIT``, ``[]`` after a type in a
  function signature (``f(text[])``); ``BIT VARYING`` is read as ``VARBIT``, a
  function parameter's ``= default`` as ``DEFAULT default``, a valueless option
  (``CREATE VIEW v WITH (security_invoker)``) as ``option = true``, and sqlglot's
  MySQL token ``SQL SECURITY`` in ``LANGUAGE sql SECURITY DEFINER`` is split back.
  Expressions too: a typed literal of a type sqlglot lacks (``box '(1,1),(2,2)'``) is read
  as a cast, and ``ORDER BY a USING >``, ``SUBSTRING(x SIMILAR p ESCAPE e)``, ``WHERE
  CURRENT OF c``, ``VARIADIC``/``t.col%TYPE`` parameters and a CHECK or FOREIGN KEY's ``NOT
  VALID`` in CREATE TABLE are rewritten (``_rewrite_pg16_expressions``); an operator that
  sqlglot splits into pieces (geometric ``<<|``, ``@-@``, user-defined ``*<>``) becomes one
  (``_rewrite_custom_operators``).
- **Utility statements** that sqlglot has no grammar for (transaction control,
  ``CLUSTER``, ``SECURITY LABEL``, ``NOTIFY``, ``CREATE RULE`` ...), and statements
  that use psql variables (``:name``, ``:'name'``), are not sent to sqlglot: they
  become an ``exp.Command`` (the node sqlglot itself uses for commands it does not
  parse) and are classified, and checked by token rules, like every statement.
  Transaction control is checked against PostgreSQL's grammar here, so a malformed
  ``BEGIN`` is still a parse error. ``DROP`` lists and ``COMMENT ON`` that sqlglot
  rejects are checked against their grammar the same way.
- **Syntax sqlglot accepts but PostgreSQL 16 and DSQL reject** is a parse error:
  MySQL column clauses (``ON UPDATE CURRENT_TIMESTAMP``, ``AUTO_INCREMENT``), MySQL
  backtick quoting, a table constraint written after a column's constraints without
  the separating comma (``created_at timestamp NOT NULL PRIMARY KEY (id)``), and
  PostgreSQL 17/18 table syntax (``[NOT] ENFORCED``, ``NOT NULL col`` table
  constraints, ``ALTER CONSTRAINT c [NOT] ENFORCED | [NO] INHERIT``,
  ``ALTER COLUMN c SET EXPRESSION AS (...)``); and a dotted index key
  (``CREATE INDEX ... ON t (a.b)``).

Other syntax newer than PostgreSQL 16 (``FOR PORTION OF``, ``WITHOUT OVERLAPS``,
virtual generated columns, ``JSON_TABLE`` ...) stays a parse error: DSQL reports
``server_version`` 16 and rejects it too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ParseError
from sqlglot.tokens import Token as SqlglotToken
from sqlglot.tokens import TokenType

# sqlglot logs a warning whenever it falls back to exp.Command; we classify those
# statements ourselves and must not print anything on the lint path.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def _upper(tok: SqlglotToken) -> str:
    """A token's text, upper-cased, or "" for strings and quoted identifiers (never keywords)."""
    if tok.token_type in _LITERALS:
        return ""
    return tok.text.upper()


_LITERALS = frozenset(
    {
        TokenType.STRING,
        TokenType.IDENTIFIER,
        TokenType.NATIONAL_STRING,
        TokenType.BYTE_STRING,
        TokenType.HEX_STRING,
        TokenType.BIT_STRING,
        TokenType.RAW_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
    }
)


def _error(tok: SqlglotToken | None, message: str) -> ParseError:
    """A sqlglot ParseError positioned on ``tok`` (the parser's own convention)."""
    if tok is None:
        return ParseError(message, errors=[{"description": message, EXPLANATION: True}])
    return _explanation(ParseError.new(message, description=message, line=tok.line, col=tok.col, highlight=tok.text))


def _error_over(first: SqlglotToken, last: SqlglotToken, message: str) -> ParseError:
    """A ParseError whose highlight spans ``first`` .. ``last`` (sqlglot positions errors on their last token)."""
    gap = max(last.end - first.start + 1 - len(first.text) - len(last.text), 0)
    highlight = first.text + " " * gap + last.text if first is not last else first.text
    return _explanation(ParseError.new(message, description=message, line=last.line, col=last.col, highlight=highlight))


#: The key that marks a ParseError as one of this dialect's explanations (a sentence for the user),
#: not one of sqlglot's own messages, which name its internals (``<Token token_type: ...>``).
EXPLANATION = "dsql_lint_explanation"


def _explanation(error: ParseError) -> ParseError:
    for item in error.errors:
        item[EXPLANATION] = True
    return error


# --------------------------------------------------------------------------- ASYNC


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


# --------------------------------------------------------------------------- grammar gaps

_STORAGE_MODES = frozenset({"PLAIN", "EXTERNAL", "EXTENDED", "MAIN", "DEFAULT"})
_FUNCTION_WORDS = frozenset({"FUNCTION", "PROCEDURE"})


def _signed_number_length(tokens: list[SqlglotToken], i: int) -> int:
    """How many tokens make the (optionally signed) number at ``i``: 1, 2 (``- 5``) or 0 for none."""
    if i < len(tokens) and tokens[i].token_type is TokenType.NUMBER:
        return 1
    if (
        i + 1 < len(tokens)
        and tokens[i].token_type in (TokenType.DASH, TokenType.PLUS)
        and tokens[i + 1].token_type is TokenType.NUMBER
    ):
        return 2
    return 0


def _is_dropped_option(upper: str, following: SqlglotToken, in_identity: bool, depth: int) -> bool:
    if depth < 1:
        return False
    if upper == "STORAGE":
        return following.text.upper() in _STORAGE_MODES
    if upper == "COMPRESSION":  # a column's compression method: pglz, lz4, default
        return following.token_type in (TokenType.VAR, TokenType.DEFAULT)
    return False


def _is_create_function(tokens: list[SqlglotToken]) -> bool:
    if not tokens or tokens[0].token_type is not TokenType.CREATE:
        return False
    words = _words(tokens[1:4])
    if words[:2] == ["OR", "REPLACE"]:
        words = words[2:]
    return bool(words) and words[0] in _FUNCTION_WORDS


#: Every word (and the minus sign) that can make ``_strip_unparsed_options`` change a statement.
#: KEEP IN STEP with its loop: a new case there needs its trigger word here, or it is skipped.
_STRIP_TRIGGERS = frozenset({"CACHE", "STORAGE", "COMPRESSION", "OVERRIDING", "ONLY", "BIT", "SET", "-"})


def _needs_strip(tokens: list[SqlglotToken]) -> bool:
    """False when no case of ``_strip_unparsed_options`` can apply (most statements): skip its loop."""
    if _is_create_function(tokens):  # ``=`` defaults in the parameter list
        return True
    dash = TokenType.DASH
    return not _STRIP_TRIGGERS.isdisjoint([tok.text.upper() if tok.token_type is not dash else "-" for tok in tokens])


def _strip_unparsed_options(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop or rewrite PostgreSQL syntax that sqlglot's grammar lacks (see the module docstring).

    Everything dropped here is still in our own tokens, where rules read it.
    """
    if not _needs_strip(tokens):
        return list(tokens)
    out: list[SqlglotToken] = []
    in_identity = 0  # paren depth of an identity option list, 0 when outside
    depth = 0
    params = 0 if not _is_create_function(tokens) else -1  # -1: before the parameter list
    create_index = len(tokens) > 1 and tokens[0].token_type is TokenType.CREATE
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        upper = _upper(tok)
        nxt = tokens[i + 1] if i + 1 < n else None
        if kind is TokenType.L_PAREN:
            depth += 1
            if i >= 1 and tokens[i - 1].text.upper() == "IDENTITY":
                in_identity = depth
            if params == -1:
                params = depth
        elif kind is TokenType.R_PAREN:
            if in_identity == depth:
                in_identity = 0
            if params == depth:
                params = 0
            depth -= 1
        elif in_identity and upper == "CACHE" and _signed_number_length(tokens, i + 1):
            i += 1 + _signed_number_length(tokens, i + 1)  # identity CACHE [+|-]n: rules read it from our tokens
            continue
        elif nxt is not None and _is_dropped_option(upper, nxt, in_identity > 0, depth):
            i += 2
            continue
        elif upper == "OVERRIDING" and i + 2 < n and tokens[i + 2].text.upper() == "VALUE":
            i += 3  # INSERT ... OVERRIDING {SYSTEM | USER} VALUE
            continue
        elif upper == "ONLY" and create_index and out and out[-1].token_type is TokenType.ON:
            i += 1  # CREATE INDEX ... ON ONLY parent
            continue
        elif upper == "BIT" and nxt is not None and nxt.text.upper() == "VARYING":
            out.append(SqlglotToken(TokenType.VAR, "VARBIT", tok.line, nxt.col, tok.start, nxt.end, tok.comments))
            i += 2
            continue
        elif kind is TokenType.DASH and nxt is not None and _is_numeric_scale_position(out, nxt):
            # numeric(p, -s): negative scales are valid since PostgreSQL 15 and DSQL (2026-08-25).
            out.append(SqlglotToken(TokenType.NUMBER, "-" + nxt.text, tok.line, nxt.col, tok.start, nxt.end, []))
            i += 2
            continue
        elif kind is TokenType.EQ and params > 0 and depth == params:
            out.append(SqlglotToken(TokenType.DEFAULT, "DEFAULT", tok.line, tok.col, tok.start, tok.end, []))
            i += 1
            continue
        elif (
            kind is TokenType.L_PAREN
            or upper not in ("NULL", "DEFAULT")
            or len(out) < 2
            or out[-1].text.upper() != "SET"
            or out[-2].text.upper() not in ("DELETE", "UPDATE")
        ):
            pass
        elif nxt is not None and nxt.token_type is TokenType.L_PAREN:
            # ON DELETE SET NULL (a, b): the column list is PostgreSQL 15+, and sqlglot lacks it.
            out.append(tok)
            i = _skip_parens(tokens, i + 1)
            continue
        out.append(tok)
        i += 1
    return out


def _token(kind: TokenType, text: str, like: SqlglotToken) -> SqlglotToken:
    """A synthetic token positioned on ``like`` (so errors still point into the original text)."""
    return SqlglotToken(kind, text, like.line, like.col, like.start, like.end, [])


def _rewrite_pg16_forms(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Rewrite valid PostgreSQL 16 that sqlglot's grammar or tokenizer gets wrong (see the module docstring).

    - ``LANGUAGE sql SECURITY DEFINER``: sqlglot's tokenizer reads ``sql SECURITY`` as MySQL's
      ``SQL SECURITY``; it is split back into the language name and ``SECURITY``.
    - A valueless option in ``CREATE VIEW v WITH (security_invoker)`` (also tables and
      indexes) means ``= true`` and is written so.
    - ``CHECK (...) NO INHERIT``: the two words are dropped.
    - ``[]`` after a type in a function's signature (``f(text[])``, ``RETURNS SETOF int[]``):
      dropped, since sqlglot reads an unnamed array parameter as a subscript.
    """
    if not tokens or tokens[0].token_type not in (TokenType.CREATE, TokenType.ALTER):
        return tokens
    function = _is_create_function(tokens)
    out: list[SqlglotToken] = []
    depth = 0
    options = -1  # depth of a WITH (...) option list, -1 outside
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        prev = out[-1] if out else None
        nxt = tokens[i + 1] if i + 1 < n else None
        if kind is TokenType.SQL_SECURITY and prev is not None and _upper(prev) == "LANGUAGE":
            out.append(
                SqlglotToken(TokenType.VAR, tok.text.split()[0], tok.line, tok.col, tok.start, tok.start + 2, [])
            )
            out.append(SqlglotToken(TokenType.VAR, "SECURITY", tok.line, tok.col, tok.end - 7, tok.end, []))
            i += 1
            continue
        if kind is TokenType.L_PAREN:
            depth += 1
            if prev is not None and prev.token_type is TokenType.WITH and depth == 1:
                options = depth
        elif kind is TokenType.R_PAREN:
            if options == depth:
                options = -1
            depth -= 1
        elif (
            options == depth
            and _is_name(tok)
            and prev is not None
            and prev.token_type in (TokenType.L_PAREN, TokenType.COMMA)
            and nxt is not None
            and nxt.token_type in (TokenType.COMMA, TokenType.R_PAREN)
        ):
            out.extend((tok, _token(TokenType.EQ, "=", tok), _token(TokenType.TRUE, "TRUE", tok)))
            i += 1
            continue
        elif (
            _upper(tok) == "NO"
            and nxt is not None
            and _upper(nxt) == "INHERIT"
            and prev is not None
            and (prev.token_type is TokenType.R_PAREN or _upper(prev) == "VALID")
        ):
            i += 2
            continue
        elif (
            function and kind is TokenType.L_BRACKET and prev is not None and _is_name(prev) and _upper(prev) != "ARRAY"
        ):
            close = i + 1
            if close < n and tokens[close].token_type is TokenType.NUMBER:
                close += 1
            if close < n and tokens[close].token_type is TokenType.R_BRACKET:
                i = close + 1
                continue
        out.append(tok)
        i += 1
    return out


def _is_numeric_scale_position(out: list[SqlglotToken], following: SqlglotToken) -> bool:
    """True when ``out`` ends in ``numeric ( p ,`` and ``following`` is the scale's digits."""
    return (
        following.token_type is TokenType.NUMBER
        and len(out) >= 4
        and out[-1].token_type is TokenType.COMMA
        and out[-2].token_type is TokenType.NUMBER
        and out[-3].token_type is TokenType.L_PAREN
        and out[-4].text.upper() in ("NUMERIC", "DECIMAL", "DEC")
    )


def _skip_parens(tokens: list[SqlglotToken], i: int) -> int:
    """Index just past the parenthesised group opening at ``i``."""
    depth = 0
    while i < len(tokens):
        kind = tokens[i].token_type
        if kind is TokenType.L_PAREN:
            depth += 1
        elif kind is TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


# --------------------------------------------------------------------------- PostgreSQL 16 expressions

#: Characters of a PostgreSQL operator (``<<|``, ``~>=~``, ``@>`` ...).
_OPERATOR_CHARS = frozenset("+-*/<>=~!@#%^&|`?")
#: Token types after which a ``name 'string'`` pair starts an expression (a typed literal).
_EXPRESSION_STARTS = frozenset(
    {
        TokenType.L_PAREN,
        TokenType.L_BRACKET,
        TokenType.COMMA,
        TokenType.SELECT,
        TokenType.WHERE,
        TokenType.AND,
        TokenType.OR,
        TokenType.NOT,
        TokenType.THEN,
        TokenType.ELSE,
        TokenType.WHEN,
        TokenType.CASE,
        TokenType.HAVING,
        TokenType.ON,
        TokenType.RETURNING,
        TokenType.DEFAULT,
        TokenType.DISTINCT,
        TokenType.ORDER_BY,
        TokenType.GROUP_BY,
        TokenType.BETWEEN,
    }
)


def _is_operator(tok: SqlglotToken) -> bool:
    return tok.token_type not in _LITERALS and bool(tok.text) and all(c in _OPERATOR_CHARS for c in tok.text)


def _rewrite_pg16_expressions(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Rewrite valid PostgreSQL 16 expression syntax that sqlglot's grammar lacks.

    - A typed literal of a type sqlglot does not know (``box '(1,1),(2,2)'``, ``point '(1,2)'``,
      ``pg_lsn '0/1'``): PostgreSQL reads ``<type name> '<string>'`` at the start of an
      expression as a cast, and it is written as one (``'(1,2)'::point``).
    - ``ORDER BY a USING >``: the operator's sort order is dropped (rules do not read it).
    - ``SUBSTRING(x SIMILAR p ESCAPE e)`` is written ``SUBSTRING(x, p, e)``.
    - ``WHERE CURRENT OF cursor`` is written ``WHERE cursor``.
    - In ``CREATE FUNCTION``: ``VARIADIC`` is dropped and ``%TYPE`` after a dotted column
      reference (``t.col%TYPE``) too, leaving the column's name as the type name.
    - ``NOT VALID`` on a CHECK or FOREIGN KEY table constraint in CREATE TABLE is dropped.
    - ``JOIN ... USING (a) AS alias`` (PostgreSQL 14): the alias is dropped.
    - ``1_000_000`` (PostgreSQL 16) is read as one number.
    - One-argument ``json_object(text[])`` is qualified (``pg_catalog.json_object``), which
      sqlglot reads as a plain function call rather than SQL/JSON's ``JSON_OBJECT(k: v)``.
    """
    function = _is_create_function(tokens)
    out: list[SqlglotToken] = []
    depth = 0
    order_by: set[int] = set()  # depths at which ORDER BY was seen
    joins: set[int] = set()  # depths at which JOIN was seen
    using: list[bool] = []  # per open parenthesis: is it a JOIN's USING (...) column list
    create_table = _table_statement_depth(tokens) == 1
    table_constraint = False  # in a CHECK or FOREIGN KEY element of CREATE TABLE
    similar: list[int] = []  # depths of SUBSTRING(...) whose SIMILAR became a comma
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        upper = _upper(tok)
        prev = out[-1] if out else None
        nxt = tokens[i + 1] if i + 1 < n else None
        if create_table and depth == 1 and prev is not None and prev.token_type in (TokenType.L_PAREN, TokenType.COMMA):
            table_constraint = _is_check_or_foreign_key(tokens, i)
        if kind is TokenType.L_PAREN:
            depth += 1
            using.append(prev is not None and prev.token_type is TokenType.USING and depth - 1 in joins)
        elif kind is TokenType.R_PAREN:
            order_by.discard(depth)
            joins.discard(depth)
            join_columns = using.pop() if using else False
            if (
                join_columns
                and nxt is not None
                and nxt.token_type is TokenType.ALIAS
                and i + 2 < n
                and _is_name(tokens[i + 2])
            ):
                out.append(tok)
                i += 3  # JOIN ... USING (a) AS alias: the join's alias (PostgreSQL 14+)
                depth -= 1
                continue
            if similar and similar[-1] == depth:
                similar.pop()
            depth -= 1
        elif kind is TokenType.ORDER_BY:
            order_by.add(depth)
        elif kind is TokenType.JOIN:
            joins.add(depth)
        elif (
            kind is TokenType.VAR
            and prev is not None
            and prev.token_type is TokenType.NUMBER
            and prev.end + 1 == tok.start
            and _NUMBER_GROUPS.fullmatch(tok.text)
            and prev.text.isdigit()
        ):
            out[-1] = SqlglotToken(
                TokenType.NUMBER, prev.text + tok.text.replace("_", ""), prev.line, prev.col, prev.start, tok.end, []
            )  # 1_000_000: PostgreSQL 16 reads underscores between digits
            i += 1
            continue
        elif kind is TokenType.USING and depth in order_by and nxt is not None and _is_operator(nxt):
            j = i + 1
            while j < n and _is_operator(tokens[j]):
                j += 1  # ORDER BY a USING >: the sort operator
            if j == n or _upper(tokens[j]) not in ("ASC", "DESC"):
                i = j
                continue
        elif (
            kind is TokenType.VAR
            and nxt is not None
            and nxt.token_type is TokenType.STRING
            and prev is not None
            and (prev.token_type in _EXPRESSION_STARTS or _is_operator(prev))
        ):
            out.extend((nxt, _token(TokenType.DCOLON, "::", tok), tok))
            i += 2
            continue
        elif (
            upper == "SIMILAR"
            and kind is not TokenType.SIMILAR_TO
            and len(out) >= 3
            and _substring_depth(tokens, i) == depth
            and _has_escape(tokens, i + 1, depth)
        ):
            out.append(_token(TokenType.COMMA, ",", tok))
            similar.append(depth)
            i += 1
            continue
        elif kind is TokenType.ESCAPE and similar and similar[-1] == depth:
            out.append(_token(TokenType.COMMA, ",", tok))
            i += 1
            continue
        elif (
            upper == "CURRENT"
            and prev is not None
            and prev.token_type is TokenType.WHERE
            and nxt is not None
            and _upper(nxt) == "OF"
            and i + 2 < n
            and _is_name(tokens[i + 2])
            and tokens[0].token_type in (TokenType.UPDATE, TokenType.DELETE)
            and (i + 3 == n or tokens[i + 3].token_type is TokenType.RETURNING)
        ):
            i += 2  # UPDATE/DELETE ... WHERE CURRENT OF cursor
            continue
        elif (
            function
            and upper == "VARIADIC"
            and depth == 1
            and prev is not None
            and (prev.token_type in (TokenType.L_PAREN, TokenType.COMMA) or _upper(prev) not in _ARGUMENT_MODES)
            and nxt is not None
            and _is_name(nxt)
            and _upper(nxt) not in _ARGUMENT_MODES
        ):
            i += 1  # VARIADIC [name] type[]
            continue
        elif (
            upper == "JSON_OBJECT"
            and (prev is None or prev.token_type is not TokenType.DOT)
            and nxt is not None
            and nxt.token_type is TokenType.L_PAREN
            and _is_text_array_json_object(tokens, i + 1)
        ):
            # json_object(text[]): PostgreSQL's array form, which sqlglot reads as SQL/JSON's key: value form;
            # qualified, sqlglot reads it as a plain function call.
            out.extend((_token(TokenType.VAR, "pg_catalog", tok), _token(TokenType.DOT, ".", tok), tok))
            i += 1
            continue
        elif (
            upper == "VARIADIC"
            and not function
            and prev is not None
            and prev.token_type in (TokenType.L_PAREN, TokenType.COMMA)
            and nxt is not None
            and _is_name(nxt)
            and i + 2 < n
            and tokens[i + 2].token_type is TokenType.FARROW
        ):
            i += 1  # f(1, VARIADIC arr => ARRAY[2, 3])
            continue
        elif (
            upper == "NOT"
            and table_constraint
            and depth == 1
            and nxt is not None
            and _upper(nxt) == "VALID"
            and i + 2 < n
            and tokens[i + 2].token_type in (TokenType.COMMA, TokenType.R_PAREN)
        ):
            i += 2  # a CHECK or FOREIGN KEY table constraint's NOT VALID
            continue
        elif (
            function
            and kind is TokenType.MOD
            and nxt is not None
            and _upper(nxt) == "TYPE"
            and len(out) >= 3
            and _is_name(out[-1])
            and out[-2].token_type is TokenType.DOT
        ):
            column = out.pop()
            while len(out) >= 2 and out[-1].token_type is TokenType.DOT and _is_name(out[-2]):
                del out[-2:]  # sqlglot reads no dotted type name in a signature
            out.append(column)
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


_NUMBER_GROUPS = re.compile(r"(?:_[0-9]+)+")
_ARGUMENT_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})


def _is_check_or_foreign_key(tokens: list[SqlglotToken], i: int) -> bool:
    """True when the CREATE TABLE element at ``i`` is ``[CONSTRAINT name] CHECK | FOREIGN KEY``."""
    if _upper(tokens[i]) == "CONSTRAINT":
        i += 2
    return i < len(tokens) and _upper(tokens[i]).split(" ", 1)[0] in ("CHECK", "FOREIGN")


_SPECIAL_OPERATOR_CHARS = frozenset("~!@#%^&|`?")
_OPERAND_ENDS = frozenset(
    {
        TokenType.VAR,
        TokenType.IDENTIFIER,
        TokenType.NUMBER,
        TokenType.STRING,
        TokenType.R_PAREN,
        TokenType.R_BRACKET,
        TokenType.NULL,
        TokenType.TRUE,
        TokenType.FALSE,
    }
)

#: Prefix operators sqlglot reads itself (and ``*``, which is no operator in ``SELECT *``).
_SQLGLOT_PREFIX_OPERATORS = frozenset(
    {TokenType.DASH, TokenType.PLUS, TokenType.STAR, TokenType.PARAMETER, TokenType.RLIKE, TokenType.TILDE}
)


def _pg_operator_length(text: str) -> int:
    """How many leading characters of a run of operator characters PostgreSQL's lexer reads as one operator.

    A multi-character operator cannot end in ``+`` or ``-`` unless it holds one of
    ``~ ! @ # % ^ & | ` ?`` (so ``=-1`` is ``=`` then ``-1``, but ``@-@`` is one operator).
    """
    length = len(text)
    if not any(c in _SPECIAL_OPERATOR_CHARS for c in text):
        while length > 1 and text[length - 1] in "+-":
            length -= 1
    return length


def _rewrite_custom_operators(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Replace an operator sqlglot's tokenizer splits into pieces (``<<|``, ``?#``, ``*<>``, ``@-@``).

    PostgreSQL reads any run of operator characters as one operator name, geometric and
    user-defined operators included. Where sqlglot splits the run into several tokens,
    a binary use becomes sqlglot's ``&&`` and a prefix use is dropped (the operand stays),
    as is a prefix operator sqlglot has no prefix reading of (``# polygon``, ``?| line``),
    so the statement keeps its shape for the parser; rules read operators from our tokens.
    """
    out: list[SqlglotToken] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_operator(tok):
            out.append(tok)
            i += 1
            continue
        end = i + 1  # the run of adjacent operator tokens
        while end < n and _is_operator(tokens[end]) and tokens[end].start == tokens[end - 1].end + 1:
            end += 1
        text = "".join(t.text for t in tokens[i:end])
        length = _pg_operator_length(text)
        pieces, covered = i, 0
        while pieces < end and covered < length:
            covered += len(tokens[pieces].text)
            pieces += 1
        prev = out[-1] if out else None
        prefix = prev is not None and (
            prev.token_type in _EXPRESSION_STARTS or (_is_operator(prev) and prev.token_type is not TokenType.STAR)
        )  # ``t.* != x``: a star can end an operand
        if (
            covered != length
            or prev is None
            or (pieces == i + 1 and not (prefix and tok.token_type not in _SQLGLOT_PREFIX_OPERATORS))
        ):
            out.append(tok)  # one sqlglot token already, or not aligned: leave it to the parser
            i += 1
            continue
        if prev.token_type in _OPERAND_ENDS and pieces > i + 1:
            out.append(SqlglotToken(TokenType.DAMP, "&&", tok.line, tok.col, tok.start, tokens[pieces - 1].end, []))
        elif not prefix:
            out.extend(tokens[i:pieces])
        i = pieces
    return out


_INSERT_BODIES = frozenset({"SELECT", "VALUES", "WITH"})


def _rewrite_insert_targets(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Reduce ``INSERT INTO t (a[1:2], b.field, c[1].f)`` targets to their column names.

    PostgreSQL lets an INSERT assign to array elements and composite fields; sqlglot reads
    only column names there. Subscripts (balanced ``[...]``) and ``.field`` suffixes are
    dropped from the column list; rules read them from our tokens.
    """
    if len(tokens) < 5 or tokens[0].token_type is not TokenType.INSERT or tokens[1].token_type is not TokenType.INTO:
        return tokens
    i = 2
    while i + 2 < len(tokens) and _is_name(tokens[i]) and tokens[i + 1].token_type is TokenType.DOT:
        i += 2
    i += 1  # the table name
    if i + 1 < len(tokens) and _upper(tokens[i]) == "AS":
        i += 2
    if i >= len(tokens) or tokens[i].token_type is not TokenType.L_PAREN or _upper(tokens[i + 1]) in _INSERT_BODIES:
        return tokens
    stop = _skip_parens(tokens, i)
    out = tokens[: i + 1]
    j = i + 1
    while j < stop:
        tok = tokens[j]
        kind = tok.token_type
        after_target = out[-1].token_type is TokenType.R_BRACKET or _is_name(out[-1])
        if kind is TokenType.L_BRACKET and after_target:
            close = _skip_brackets(tokens, j)
            if close is not None and close < stop and tokens[close - 1].token_type is TokenType.R_BRACKET:
                j = close
                continue
        elif kind is TokenType.DOT and after_target and j + 1 < stop and _is_name(tokens[j + 1]):
            j += 2
            continue
        out.append(tok)
        j += 1
    return out + tokens[stop:]


def _skip_brackets(tokens: list[SqlglotToken], i: int) -> int | None:
    """Index just past the non-empty ``[...]`` group opening at ``i``, or None."""
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind is TokenType.L_BRACKET:
            depth += 1
        elif kind is TokenType.R_BRACKET:
            depth -= 1
            if depth == 0:
                return j + 1 if j > i + 1 else None
    return None


def _drop_search_cycle(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop a recursive CTE's ``SEARCH ... SET col`` and ``CYCLE ... USING col`` clauses (PostgreSQL 14).

    Each is checked against its grammar first; a malformed clause is left for the parser
    to reject. ``SEARCH {DEPTH | BREADTH} FIRST BY col [, ...] SET col`` and ``CYCLE col
    [, ...] SET col [TO value DEFAULT value] USING col``.
    """
    if not tokens or _upper(tokens[0]) not in ("WITH", "CREATE"):
        return tokens
    words = _words(tokens)
    out: list[SqlglotToken] = []
    i = 0
    n = len(tokens)
    while i < n:
        out.append(tokens[i])
        i += 1
        if out[-1].token_type is not TokenType.R_PAREN:
            continue
        while i < n and words[i] in ("SEARCH", "CYCLE"):
            end = _search_clause_end(tokens, words, i) if words[i] == "SEARCH" else _cycle_clause_end(tokens, words, i)
            if end == -1:
                break
            i = end
    return out


def _name_list_end(tokens: list[SqlglotToken], i: int) -> int:
    """Index past ``name [, name ...]`` at ``i``, or -1."""
    while i < len(tokens) and _is_name(tokens[i]):
        if i + 1 < len(tokens) and tokens[i + 1].token_type is TokenType.COMMA:
            i += 2
            continue
        return i + 1
    return -1


def _search_clause_end(tokens: list[SqlglotToken], words: list[str], i: int) -> int:
    if words[i + 1 : i + 4] not in (["DEPTH", "FIRST", "BY"], ["BREADTH", "FIRST", "BY"]):
        return -1
    j = _name_list_end(tokens, i + 4)
    if j == -1 or j + 1 >= len(tokens) or words[j] != "SET" or not _is_name(tokens[j + 1]):
        return -1
    return j + 2


def _cycle_clause_end(tokens: list[SqlglotToken], words: list[str], i: int) -> int:
    j = _name_list_end(tokens, i + 1)
    if j == -1 or j + 1 >= len(tokens) or words[j] != "SET" or not _is_name(tokens[j + 1]):
        return -1
    j += 2
    if j < len(tokens) and words[j] == "TO":
        default = next((k for k in range(j + 2, len(tokens)) if words[k] in ("DEFAULT", "USING")), -1)
        if default == -1 or words[default] != "DEFAULT":
            return -1
        using = next((k for k in range(default + 2, len(tokens)) if words[k] == "USING"), -1)
        if using == -1:
            return -1
        j = using
    if j + 1 >= len(tokens) or words[j] != "USING" or not _is_name(tokens[j + 1]):
        return -1
    return j + 2


_SQL_JSON_WORDS = frozenset({"VALUE", "KEY", "RETURNING", "ABSENT", "ON", "WITH", "WITHOUT", "FORMAT"})


def _is_text_array_json_object(tokens: list[SqlglotToken], open_: int) -> bool:
    """True when the ``(`` at ``open_`` holds one argument and none of SQL/JSON's ``JSON_OBJECT`` syntax."""
    stop = _skip_parens(tokens, open_)
    if stop - open_ < 3:
        return False
    depth = 0
    for tok in tokens[open_ + 1 : stop - 1]:
        kind = tok.token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and (kind in (TokenType.COMMA, TokenType.COLON) or _upper(tok) in _SQL_JSON_WORDS):
            return False
    return True


def _drop_partition_opclasses(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop the operator class after a partition key: ``PARTITION BY HASH (a int4_ops, (b) s.ops)``."""
    start = next((i for i, t in enumerate(tokens) if t.token_type is TokenType.PARTITION_BY), -1)
    if start == -1 or tokens[0].token_type is not TokenType.CREATE or start + 2 >= len(tokens):
        return tokens
    open_ = start + 2
    if tokens[open_].token_type is not TokenType.L_PAREN:
        return tokens
    stop = _skip_parens(tokens, open_)
    out = tokens[: open_ + 1]
    depth = 0
    i = open_ + 1
    while i < stop:
        tok = tokens[i]
        kind = tok.token_type
        if kind is TokenType.L_PAREN:
            depth += 1
        elif kind is TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and _is_name(tok) and tok.token_type is not TokenType.IDENTIFIER:
            prev = out[-1]
            end = i + 1
            while end + 1 < stop and tokens[end].token_type is TokenType.DOT and _is_name(tokens[end + 1]):
                end += 2
            if (
                (prev.token_type in (TokenType.R_PAREN, TokenType.IDENTIFIER) or _is_name(prev))
                and _upper(prev) != "COLLATE"
                and end < len(tokens)
                and tokens[end].token_type in (TokenType.COMMA, TokenType.R_PAREN)
            ):
                i = end  # the key's operator class
                continue
        out.append(tok)
        i += 1
    return out + tokens[stop:]


_JSON_ARRAY_FUNCTIONS = frozenset({"JSON_ARRAY", "JSON_ARRAYAGG"})


def _drop_json_array_options(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop SQL/JSON options sqlglot lacks in ``JSON_ARRAY(...)`` and ``JSON_ARRAYAGG(...)`` (PostgreSQL 16).

    ``{NULL | ABSENT} ON NULL``, ``RETURNING type [FORMAT JSON [ENCODING e]]`` and an
    argument's ``FORMAT JSON [ENCODING e]``; each is dropped only when complete.
    """
    if not any(_upper(t) in _JSON_ARRAY_FUNCTIONS for t in tokens):
        return tokens
    out: list[SqlglotToken] = []
    depth = 0
    arrays: list[int] = []  # argument depths of the JSON_ARRAY calls we are in
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        word = _upper(tok)
        if kind is TokenType.L_PAREN:
            depth += 1
            if out and _upper(out[-1]) in _JSON_ARRAY_FUNCTIONS:
                arrays.append(depth)
        elif kind is TokenType.R_PAREN:
            if arrays and arrays[-1] == depth:
                arrays.pop()
            depth -= 1
        elif arrays and arrays[-1] == depth:
            end = _json_option_end(tokens, i, word)
            if end > i:
                i = end
                continue
        out.append(tok)
        i += 1
    return out


def _json_option_end(tokens: list[SqlglotToken], i: int, word: str) -> int:
    """Index past a complete SQL/JSON option starting at ``i``, or ``i`` when none starts there."""
    n = len(tokens)
    words = [_upper(t) for t in tokens[i : i + 3]]
    if word in ("NULL", "ABSENT") and words[1:3] == ["ON", "NULL"] and i > 0:
        if tokens[i - 1].token_type not in (TokenType.L_PAREN, TokenType.COMMA):
            return i + 3
        return i
    if word == "FORMAT" and words[1:2] == ["JSON"] and i > 0 and tokens[i - 1].token_type is not TokenType.L_PAREN:
        j = i + 2
        if j < n and _upper(tokens[j]) == "ENCODING":
            if j + 1 >= n or _upper(tokens[j + 1]) not in ("UTF8", "UTF16", "UTF32"):
                return i
            j += 2
        return j
    if word == "RETURNING":
        j = i + 1
        while j < n and _is_name(tokens[j]) and _upper(tokens[j]) != "FORMAT":
            j += 1
        if j == i + 1:
            return i
        if j < n and tokens[j].token_type is TokenType.L_PAREN:
            j = _skip_parens(tokens, j)
        if j < n and _upper(tokens[j]) == "FORMAT":
            return _json_option_end(tokens, j, "FORMAT") if j + 1 < n and _upper(tokens[j + 1]) == "JSON" else i
        return j
    return i


def _drop_analyze_options(tokens: list[SqlglotToken]) -> list[SqlglotToken]:
    """Drop ``ANALYZE``'s ``VERBOSE`` or ``(option [value] [, ...])`` list, which sqlglot lacks."""
    if len(tokens) < 2 or _upper(tokens[0]) != "ANALYZE":
        return tokens
    if _upper(tokens[1]) == "VERBOSE":
        return tokens[:1] + tokens[2:]
    if tokens[1].token_type is not TokenType.L_PAREN:
        return tokens
    stop = _skip_parens(tokens, 1)
    if stop > len(tokens) or tokens[stop - 1].token_type is not TokenType.R_PAREN:
        return tokens
    for item in _split_top_level(tokens[2 : stop - 1]):
        if not 1 <= len(item) <= 2 or not _is_name(item[0]):
            return tokens
        if len(item) == 2 and item[1].token_type not in (TokenType.STRING, TokenType.NUMBER) and not _is_name(item[1]):
            return tokens
    return tokens[:1] + tokens[stop:]


def _substring_depth(tokens: list[SqlglotToken], i: int) -> int:
    """The depth of the ``SUBSTRING(`` whose argument list holds token ``i``, or -1."""
    depth = 0
    for j in range(i - 1, 0, -1):
        kind = tokens[j].token_type
        if kind is TokenType.R_PAREN:
            depth += 1
        elif kind is TokenType.L_PAREN:
            if depth == 0:
                if _upper(tokens[j - 1]) != "SUBSTRING":
                    return -1
                return sum(
                    1 if t.token_type is TokenType.L_PAREN else -1 if t.token_type is TokenType.R_PAREN else 0
                    for t in tokens[: j + 1]
                )
            depth -= 1
    return -1


def _has_escape(tokens: list[SqlglotToken], i: int, depth: int) -> bool:
    """True when an ESCAPE follows at ``depth`` before the enclosing parenthesis closes."""
    level = depth
    for tok in tokens[i:]:
        if tok.token_type is TokenType.L_PAREN:
            level += 1
        elif tok.token_type is TokenType.R_PAREN:
            level -= 1
            if level < depth:
                return False
        elif tok.token_type is TokenType.ESCAPE and level == depth:
            return True
    return False


# --------------------------------------------------------------------------- MySQL column clauses

_REFERENTIAL_ACTIONS = frozenset({"CASCADE", "RESTRICT", "NO", "SET"})
_AFTER_AUTO_INCREMENT = frozenset(
    {"PRIMARY", "NOT", "NULL", "UNIQUE", "DEFAULT", "COMMENT", "KEY", "REFERENCES", "CHECK", "CONSTRAINT"}
)
_NAME_CONTEXT = frozenset({"COLUMN", "EXISTS", "TABLE", "RENAME", "TO", "DROP", "ALTER", "ADD", "BY", "ON"})


def _reject_mysql_column_clauses(tokens: list[SqlglotToken]) -> None:
    """Raise a ParseError for ``ON UPDATE <expr>`` and ``AUTO_INCREMENT`` in CREATE/ALTER TABLE."""
    if len(tokens) < 3 or tokens[0].token_type not in (TokenType.CREATE, TokenType.ALTER):
        return
    if not any(t.token_type is TokenType.TABLE for t in tokens[1:4]):
        return
    for i, tok in enumerate(tokens):
        upper = _upper(tok)
        if upper == "ON" and i + 2 < len(tokens) and tokens[i + 1].token_type is TokenType.UPDATE:
            if _upper(tokens[i + 2]) not in _REFERENTIAL_ACTIONS:
                raise _error(
                    tokens[i + 1],
                    f"`ON UPDATE {tokens[i + 2].text}` is MySQL syntax: PostgreSQL and DSQL have no ON UPDATE "
                    "column clause (only a foreign key's ON UPDATE action)",
                )
        elif upper in ("AUTO_INCREMENT", "AUTOINCREMENT") and i > 0:
            prev = tokens[i - 1]
            if prev.token_type in (TokenType.L_PAREN, TokenType.COMMA, TokenType.DOT) or _upper(prev) in _NAME_CONTEXT:
                continue  # a column named auto_increment
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is None
                or nxt.token_type in (TokenType.COMMA, TokenType.R_PAREN, TokenType.SEMICOLON)
                or _upper(nxt).split(" ", 1)[0] in _AFTER_AUTO_INCREMENT
            ):
                raise _error(tok, f"`{tok.text}` is MySQL syntax; PostgreSQL and DSQL use identity columns instead")


# --------------------------------------------------------------------------- accepted by sqlglot, not PostgreSQL 16


def _reject_backticks(tokens: list[SqlglotToken]) -> None:
    """Raise a ParseError for a MySQL backtick (sqlglot reads `` `name` `` as a plain name)."""
    for tok in tokens:
        if tok.token_type is TokenType.UNKNOWN and tok.text == "`":
            raise _error(
                tok,
                'backtick quoting is MySQL syntax: PostgreSQL and DSQL quote identifiers with double quotes ("name")',
            )


#: Words that start a table constraint (or LIKE) rather than a column definition in CREATE TABLE.
_TABLE_ELEMENT_WORDS = frozenset(
    {"CONSTRAINT", "PRIMARY", "PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"}
)
_NEWER = "is PostgreSQL 17+ syntax; DSQL speaks PostgreSQL 16"
#: Words after which ``NOT enforced`` is an expression over a column named ``enforced``.
_EXPRESSION_LEADERS = frozenset({"USING", "DEFAULT", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "AS"})


def _table_statement_depth(tokens: list[SqlglotToken]) -> int:
    """Depth of constraints and actions: 1 in ``CREATE ... TABLE name (...)``, 0 in ALTER TABLE, -1 otherwise."""
    if len(tokens) < 3 or not any(t.token_type is TokenType.TABLE for t in tokens[1:4]):
        return -1
    if tokens[0].token_type is TokenType.CREATE:
        return 1
    return 0 if tokens[0].token_type is TokenType.ALTER and tokens[1].token_type is TokenType.TABLE else -1


def _reject_newer_table_syntax(tokens: list[SqlglotToken]) -> None:
    """Raise a ParseError for CREATE/ALTER TABLE syntax PostgreSQL 16 rejects and sqlglot lets through.

    A table constraint written right after a column's constraints without the separating
    comma (``created_at timestamp NOT NULL PRIMARY KEY (id)``), and PostgreSQL 17/18
    constraint syntax: ``[NOT] ENFORCED``, ``[CONSTRAINT c] NOT NULL col`` as a table
    constraint, ``ALTER CONSTRAINT c [NOT] ENFORCED | [NO] INHERIT`` and
    ``ALTER COLUMN c SET EXPRESSION AS (...)``.
    """
    level = _table_statement_depth(tokens)
    if level == -1:
        return
    words = _words(tokens)
    n = len(tokens)
    first, stop = 0, n
    if level == 1:  # only the element list: not AS SELECT, WITH (...), PARTITION BY (...)
        first = next((i for i, t in enumerate(tokens) if t.token_type is TokenType.L_PAREN), n)
        if any(t.token_type is TokenType.ALIAS for t in tokens[:first]):
            return
        stop = _skip_parens(tokens, first)
    depth = 0
    element = -1  # index of the first token of the current CREATE TABLE element
    for i in range(first, stop):
        tok = tokens[i]
        kind = tok.token_type
        if kind is TokenType.L_PAREN:
            depth += 1
            if depth == 1 and level == 1 and element == -1:
                element = i + 1
            continue
        if kind is TokenType.R_PAREN:
            depth -= 1
            continue
        if depth != level:
            continue
        if kind is TokenType.COMMA:
            element = i + 1
            continue
        word = words[i]
        after = words[i + 1] if i + 1 < n else ""
        if word == "NOT" and after == "ENFORCED" and words[i - 1] not in _EXPRESSION_LEADERS:
            raise _error_over(tok, tokens[i + 1], f"`NOT ENFORCED` {_NEWER}")
        if word == "ENFORCED" and i > 0 and tokens[i - 1].token_type is TokenType.R_PAREN:
            raise _error(tok, f"`ENFORCED` {_NEWER}")
        if word == "CONSTRAINT" and i >= 1 and words[i - 1] == "ALTER" and i + 2 < n:
            attribute = words[i + 2]
            if attribute in ("NOT", "NO") and i + 3 < n:
                attribute = f"{attribute} {words[i + 3]}"
            if attribute in ("ENFORCED", "NOT ENFORCED", "INHERIT", "NO INHERIT"):
                last = tokens[i + 2 + attribute.count(" ")]
                raise _error_over(tokens[i + 2], last, f"`ALTER CONSTRAINT ... {attribute}` {_NEWER}")
        if word == "NOT" and after == "NULL" and _starts_table_constraint(words, i, element, level):
            raise _error(tok, f"a `NOT NULL` table constraint (`NOT NULL column`) {_NEWER}")
        if word == "EXPRESSION" and words[i - 1] == "SET" and after == "AS":
            raise _error_over(tokens[i - 1], tokens[i + 1], f"`SET EXPRESSION AS` {_NEWER}")
        if level == 1 and element != -1 and i > element and words[element] not in _TABLE_ELEMENT_WORDS:
            _reject_constraint_in_column(tokens, words, i, element)


def _reject_virtual_generated_columns(tokens: list[SqlglotToken]) -> None:
    """Raise for ``GENERATED ALWAYS AS (expr)`` without ``STORED``: virtual generated columns are PostgreSQL 18."""
    if _table_statement_depth(tokens) == -1:
        return
    words = _words(tokens)
    for i, word in enumerate(words):
        if word != "GENERATED" or words[i + 1 : i + 3] != ["ALWAYS", "AS"] or i + 3 >= len(tokens):
            continue
        if tokens[i + 3].token_type is not TokenType.L_PAREN:
            continue
        after = _skip_parens(tokens, i + 3)
        if after >= len(tokens) or words[after] != "STORED":
            raise _error_over(tokens[i], tokens[after - 1], f"a generated column without `STORED` (virtual) {_NEWER}")


def _starts_table_constraint(words: list[str], i: int, element: int, level: int) -> bool:
    """True when ``NOT`` at ``i`` opens a table constraint: ``[ADD] [CONSTRAINT name] NOT NULL``."""
    j = i
    if j >= 2 and words[j - 2] == "CONSTRAINT":
        j -= 2
    if level == 1:
        return j == element
    return j >= 1 and words[j - 1] == "ADD"


def _reject_constraint_in_column(tokens: list[SqlglotToken], words: list[str], i: int, element: int) -> None:
    """Raise for a table constraint (``PRIMARY KEY (...)``, ``UNIQUE (...)``, ``FOREIGN KEY``) inside a column."""
    word = words[i]
    j = i + 1
    if word == "PRIMARY" and j < len(words) and words[j] == "KEY":
        j += 1
    elif word == "UNIQUE" and j < len(words) and words[j] == "NULLS":
        j += 1
        if j < len(words) and words[j] == "NOT":
            j += 1
        j += 1  # DISTINCT
    elif word not in ("PRIMARY KEY", "FOREIGN", "FOREIGN KEY", "UNIQUE"):
        return
    table_constraint = word.startswith("FOREIGN") or (j < len(tokens) and tokens[j].token_type is TokenType.L_PAREN)
    if table_constraint:
        column = tokens[element].text
        raise _error(
            tokens[i],
            f"`{tokens[i].text}` after column `{column}`'s definition is a table constraint: "
            "a comma is missing before it",
        )


def _reject_qualified_index_column(tokens: list[SqlglotToken]) -> None:
    """Raise for ``CREATE INDEX ... ON t (a.b)``: a key is a column, ``func(...)`` or ``(expression)``."""
    if len(tokens) < 5 or tokens[0].token_type is not TokenType.CREATE:
        return
    words = _words(tokens[1:3])
    if "INDEX" not in words:
        return
    on = next((i for i, t in enumerate(tokens) if t.token_type is TokenType.ON), -1)
    open_ = next((i for i in range(on + 1, len(tokens)) if tokens[i].token_type is TokenType.L_PAREN), -1)
    if on == -1 or open_ == -1:
        return
    stop = _skip_parens(tokens, open_)
    depth = 0
    start = True  # at the start of a key
    for i in range(open_, stop):
        kind = tokens[i].token_type
        if kind is TokenType.L_PAREN:
            depth += 1
            if depth == 1:
                continue  # the key list opens: its first key starts next
        elif kind is TokenType.R_PAREN:
            depth -= 1
        elif depth == 1 and kind is TokenType.COMMA:
            start = True
            continue
        elif (
            depth == 1
            and start
            and i + 3 < stop
            and _is_name(tokens[i])
            and tokens[i + 1].token_type is TokenType.DOT
            and tokens[i + 3].token_type not in (TokenType.L_PAREN, TokenType.DOT)
        ):
            raise _error(
                tokens[i + 1],
                f"index key `{tokens[i].text}.{tokens[i + 2].text}` is not a column: write the column "
                "name alone, or a function call or a parenthesised expression",
            )
        start = False


# --------------------------------------------------------------------------- statements not sent to sqlglot

#: Leading words of utility statements sqlglot has no grammar for; never parsed, always commands.
_UTILITY_LEADERS = frozenset(
    {
        "CLUSTER",
        "VACUUM",
        "NOTIFY",
        "LISTEN",
        "UNLISTEN",
        "MOVE",
        "FETCH",
        "CLOSE",
        "DECLARE",
        "SECURITY",
        "REASSIGN",
        "IMPORT",
        "CHECKPOINT",
        "LOAD",
        "DISCARD",
        "REINDEX",
        "LOCK",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
    }
)
_TCL_LEADERS = frozenset({"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"})


def _words(tokens: list[SqlglotToken]) -> list[str]:
    return [_upper(t) for t in tokens]


def _has_psql_variable(tokens: list[SqlglotToken], sql: str) -> bool:
    """True for ``:name``, ``:'name'`` or ``:"name"`` outside brackets (array slices use ``a[1:n]``)."""
    brackets = 0
    for tok in tokens:
        kind = tok.token_type
        if kind is TokenType.L_BRACKET:
            brackets += 1
        elif kind is TokenType.R_BRACKET:
            brackets = max(brackets - 1, 0)
        elif kind is TokenType.COLON and brackets == 0:
            after = sql[tok.end + 1 : tok.end + 2]
            if after and (after.isalpha() or after in "_'\""):
                return True
    return False


def _command(tokens: list[SqlglotToken], sql: str) -> exp.Command:
    """The statement as sqlglot's own fallback node: its leading word and the rest as text."""
    first = tokens[0]
    rest = sql[first.end + 1 :].strip().rstrip(";").strip()
    return exp.Command(this=first.text.upper(), expression=exp.Literal.string(rest) if rest else None)


class _Cursor:
    """A tiny recursive-descent reader over sqlglot tokens, for the grammars checked here."""

    def __init__(self, tokens: list[SqlglotToken], what: str) -> None:
        self.tokens = tokens
        self.words = _words(tokens)
        self.i = 0
        self.what = what

    def peek(self, *words: str) -> bool:
        return self.i < len(self.tokens) and self.words[self.i] in words

    def take(self, *words: str) -> bool:
        if self.peek(*words):
            self.i += 1
            return True
        return False

    def expect(self, *words: str) -> None:
        if not self.take(*words):
            self.fail(f"expected {' or '.join(words)}")

    def name(self) -> None:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        if tok is None or not _is_name(tok):
            self.fail("expected a name")
        self.i += 1

    def string(self) -> None:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        if tok is None or tok.token_type is not TokenType.STRING:
            self.fail("expected a string literal")
        self.i += 1

    def done(self) -> None:
        if self.i < len(self.tokens):
            self.fail("unexpected token")

    def fail(self, problem: str) -> None:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else self.tokens[-1]
        shown = "end of statement" if self.i >= len(self.tokens) else f"`{tok.text}`"
        raise _error(tok, f"{problem} in {self.what}, got {shown}")


def _transaction_modes(cur: _Cursor) -> None:
    first = True
    while cur.i < len(cur.tokens):
        if not first:
            cur.take(",")
        first = False
        if cur.take("ISOLATION"):
            cur.expect("LEVEL")
            if cur.take("READ"):
                cur.expect("COMMITTED", "UNCOMMITTED")
            elif cur.take("REPEATABLE"):
                cur.expect("READ")
            else:
                cur.expect("SERIALIZABLE")
        elif cur.take("READ"):
            cur.expect("ONLY", "WRITE")
        elif cur.take("NOT"):
            cur.expect("DEFERRABLE")
        else:
            cur.expect("DEFERRABLE", "ISOLATION", "READ", "NOT")


def _chain(cur: _Cursor) -> None:
    if cur.take("AND"):
        cur.take("NO")
        cur.expect("CHAIN")


def _check_tcl(tokens: list[SqlglotToken]) -> None:
    """Raise a ParseError unless ``tokens`` are a transaction-control statement PostgreSQL accepts."""
    cur = _Cursor(tokens, f"{tokens[0].text.upper()} statement")
    leader = cur.words[0]
    cur.i = 1
    if leader == "BEGIN":
        cur.take("WORK", "TRANSACTION")
        _transaction_modes(cur)
    elif leader == "START":
        cur.expect("TRANSACTION")
        _transaction_modes(cur)
    elif leader in ("COMMIT", "ROLLBACK") and cur.take("PREPARED"):
        cur.string()
    elif leader in ("COMMIT", "END"):
        cur.take("WORK", "TRANSACTION")
        _chain(cur)
    elif leader in ("ROLLBACK", "ABORT"):
        cur.take("WORK", "TRANSACTION")
        if leader == "ROLLBACK" and cur.take("TO"):
            cur.take("SAVEPOINT")
            cur.name()
        else:
            _chain(cur)
    elif leader == "SAVEPOINT":
        cur.name()
    elif leader == "RELEASE":
        cur.take("SAVEPOINT")
        cur.name()
    cur.done()


#: Object types whose DROP takes a list of names (and, for routines, argument lists).
_DROP_OBJECTS = {
    ("TABLE",): False,
    ("INDEX",): False,
    ("VIEW",): False,
    ("MATERIALIZED", "VIEW"): False,
    ("SEQUENCE",): False,
    ("SCHEMA",): False,
    ("TYPE",): False,
    ("DOMAIN",): False,
    ("COLLATION",): False,
    ("CONVERSION",): False,
    ("EXTENSION",): False,
    ("STATISTICS",): False,
    ("FOREIGN", "TABLE"): False,
    ("ROLE",): False,
    ("USER",): False,
    ("GROUP",): False,
    ("FUNCTION",): True,
    ("PROCEDURE",): True,
    ("ROUTINE",): True,
    ("AGGREGATE",): True,
}


def _check_drop(tokens: list[SqlglotToken]) -> bool:
    """True if ``tokens`` are ``DROP <object> [IF EXISTS] name [(args)] [, ...] [CASCADE | RESTRICT]``."""
    words = _words(tokens)
    obj = next((o for o in _DROP_OBJECTS if tuple(words[1 : 1 + len(o)]) == o), None)
    if obj is None:
        return False
    takes_args = _DROP_OBJECTS[obj]
    i = 1 + len(obj)
    if obj == ("INDEX",) and i < len(words) and words[i] == "CONCURRENTLY":
        i += 1
    if words[i : i + 2] == ["IF", "EXISTS"]:
        i += 2
    n = len(tokens)
    while True:
        if i >= n or not _is_name(tokens[i]):
            return False
        i += 1
        while i + 1 < n and tokens[i].token_type is TokenType.DOT:
            i += 2
        if i < n and tokens[i].token_type is TokenType.L_PAREN:
            if not takes_args:
                return False
            i = _skip_parens(tokens, i)
        if i < n and tokens[i].token_type is TokenType.COMMA:
            i += 1
            continue
        break
    if i < n and words[i] in ("CASCADE", "RESTRICT"):
        i += 1
    return i == n


def _is_name(tok: SqlglotToken) -> bool:
    """True for a token that can be an object name: a quoted identifier or a word."""
    if tok.token_type is TokenType.IDENTIFIER:
        return True
    text = tok.text
    return tok.token_type not in _LITERALS and bool(text) and (text[0].isalpha() or text[0] == "_")


def _check_comment(tokens: list[SqlglotToken]) -> bool:
    """True if ``tokens`` are ``COMMENT ON <object> ... IS {'text' | NULL}``."""
    words = _words(tokens)
    if len(tokens) < 5 or words[1] != "ON" or words[-2] != "IS":
        return False
    last = tokens[-1]
    return last.token_type is TokenType.STRING or words[-1] == "NULL"


def _fallback(tokens: list[SqlglotToken], sql: str) -> exp.Command | None:
    """A command for a statement sqlglot failed on whose grammar is checked here instead."""
    leader = _upper(tokens[0])
    if leader == "DROP" and _check_drop(tokens):
        return _command(tokens, sql)
    if leader == "COMMENT" and _check_comment(tokens):
        return _command(tokens, sql)
    if leader == "CREATE" and _check_create_operator(tokens):
        return _command(tokens, sql)
    return None


def _check_create_operator(tokens: list[SqlglotToken]) -> bool:
    """True if ``tokens`` are ``CREATE OPERATOR [schema.]op (name [= value] [, ...])``."""
    words = _words(tokens)
    if words[:2] != ["CREATE", "OPERATOR"] or len(tokens) < 6:
        return False
    i = 2
    while i + 1 < len(tokens) and _is_name(tokens[i]) and tokens[i + 1].token_type is TokenType.DOT:
        i += 2
    start = i
    while i < len(tokens) and _is_operator(tokens[i]):
        i += 1
    if i == start or i >= len(tokens) or tokens[i].token_type is not TokenType.L_PAREN:
        return False
    if _skip_parens(tokens, i) != len(tokens):
        return False
    for item in _split_top_level(tokens[i + 1 : -1]):
        if not item or not _is_name(item[0]):
            return False
        if len(item) > 1 and (item[1].token_type is not TokenType.EQ or not _is_definition_value(item[2:])):
            return False
    return True


def _is_definition_value(value: list[SqlglotToken]) -> bool:
    """True for a CREATE OPERATOR value: a literal, an operator, ``OPERATOR(...)`` or a (dotted, multi-word) type."""
    if not value:
        return False
    if len(value) == 1 or all(_is_operator(t) for t in value):
        return True
    if len(value) == 2 and value[0].token_type is TokenType.DASH and value[1].token_type is TokenType.NUMBER:
        return True
    if _upper(value[0]) == "OPERATOR" and value[1].token_type is TokenType.L_PAREN:
        return _skip_parens(value, 1) == len(value)
    while value and value[-1].token_type in (TokenType.L_BRACKET, TokenType.R_BRACKET):
        value = value[:-1]
    return all(_is_name(t) or t.token_type is TokenType.DOT for t in value)


def _split_top_level(tokens: list[SqlglotToken]) -> list[list[SqlglotToken]]:
    """``tokens`` split at the commas outside parentheses."""
    items: list[list[SqlglotToken]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.token_type is TokenType.L_PAREN:
            depth += 1
        elif tok.token_type is TokenType.R_PAREN:
            depth -= 1
        elif tok.token_type is TokenType.COMMA and depth == 0:
            items.append([])
            continue
        items[-1].append(tok)
    return items


def _unparsed_command(tokens: list[SqlglotToken], sql: str) -> exp.Command | None:
    """The command for a statement that is never sent to sqlglot, or None to parse it."""
    words = _words(tokens)
    leader = words[0]
    if leader in _TCL_LEADERS or (leader == "PREPARE" and words[1:2] == ["TRANSACTION"]):
        if leader == "PREPARE":
            cur = _Cursor(tokens, "PREPARE TRANSACTION statement")
            cur.i = 2
            cur.string()
            cur.done()
        else:
            _check_tcl(tokens)
        return _command(tokens, sql)
    if leader in _UTILITY_LEADERS or words[:2] in (["CREATE", "RULE"], ["DROP", "OWNED"]):
        return _command(tokens, sql)
    if words[:4] == ["CREATE", "OR", "REPLACE", "RULE"]:
        return _command(tokens, sql)
    if _has_psql_variable(tokens, sql):
        return _command(tokens, sql)
    return None


class DSQL(Postgres):
    """Aurora DSQL: the PostgreSQL dialect with ``CREATE INDEX ASYNC`` and ``ALTER TABLE ASYNC``."""

    def parse(self, sql: str, **opts: Any) -> list[exp.Expr | None]:
        """Parse ``sql``; statements that used ``ASYNC`` carry ``meta['dsql_async']``."""
        tokens = self.tokenize(sql)
        while tokens and tokens[-1].token_type is TokenType.SEMICOLON:
            tokens.pop()
        if not tokens:
            return []
        _reject_backticks(tokens)
        command = _unparsed_command(tokens, sql)
        if command is not None:
            return [command]
        _reject_mysql_column_clauses(tokens)
        _reject_newer_table_syntax(tokens)
        _reject_qualified_index_column(tokens)
        _reject_virtual_generated_columns(tokens)
        stripped, is_async = _strip_async(tokens)
        stripped = _rewrite_pg16_forms(_strip_unparsed_options(stripped))
        stripped = _rewrite_pg16_expressions(
            _rewrite_custom_operators(_rewrite_insert_targets(_drop_analyze_options(stripped)))
        )
        stripped = _drop_json_array_options(_drop_partition_opclasses(_drop_search_cycle(stripped)))
        try:
            trees = self.parser(**opts).parse(stripped, sql)
        except (ParseError, TypeError):  # sqlglotc raises TypeError on some grammar it cannot build a tree for
            fallback = _fallback(tokens, sql)
            if fallback is None:
                raise
            return [fallback]
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

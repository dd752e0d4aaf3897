"""Turn a source into a Script: tokens, statements, kinds, syntax trees, transactions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dsql_lint.frontend import pgsyntax
from dsql_lint.frontend.classify import classify, refine_with_ast
from dsql_lint.frontend.split import split
from dsql_lint.frontend.transactions import group
from dsql_lint.frontend.tree import Batch
from dsql_lint.model import UNPARSED, Kind, ParseFailure, Script, Statement
from dsql_lint.text.lexer import ERROR, Token, TokenKind, tokens_of
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    import re

    from sqlglot import errors as sqlglot_errors
    from sqlglot import exp

#: Statements longer than this (characters) that PostgreSQL's grammar rejects are not given to sqlglot.
SQLGLOT_LIMIT = 1_000_000

_UNTERMINATED = {
    "'": "string literal",
    "E": "escape string literal",
    "e": "escape string literal",
    '"': "quoted identifier",
    "$": "dollar-quoted string",
    "/": "block comment",
}


def _unterminated(tok: Token) -> ParseFailure:
    text = tok.text
    what = _UNTERMINATED.get(text[:1], "literal")
    if text[:1] in "bBxXnNuU":
        what = "string literal"
    opener = text.split("\n", 1)[0][:20]
    return ParseFailure(
        message=f"unterminated {what} starting with `{opener}`: everything after it is swallowed",
        start=tok.start,
        end=min(tok.start + max(len(opener), 1), tok.end),
    )


def parse_statement(stmt: Statement) -> None:
    """Check one statement's syntax; a failure is recorded (``stmt.parse_failure``), never raised.

    PostgreSQL 16's grammar answers first (:mod:`dsql_lint.frontend.pgsyntax`); a statement it
    accepts gets its sqlglot tree only when something reads ``stmt.ast``. Any other
    is parsed by the sqlglot dialect now, and its error, if any, is the finding.
    """
    if _needs_check(stmt):
        _record_check(stmt, pgsyntax.accepts(stmt))


def parse_statements(statements: list[Statement]) -> None:
    """:func:`parse_statement` for each statement, with the same results; PostgreSQL is asked in few calls.

    :func:`dsql_lint.frontend.pgsyntax.accepted` checks a file's statements together and
    gives each the verdict it would get alone.
    """
    checked = [stmt for stmt in statements if _needs_check(stmt)]
    batch = Batch()
    for stmt, accepted in zip(checked, pgsyntax.accepted(checked), strict=True):
        if accepted:
            stmt._ast = UNPARSED
            stmt._tree = batch
            batch.add(stmt)
        else:
            _record_check(stmt, accepted)


# Enum members read once: a member lookup on the class costs more than the rest of the check.
_PSQL_META = Kind.PSQL_META
_COPY_DATA = Kind.COPY_DATA
_UNKNOWN = Kind.UNKNOWN
_QUERY = Kind.QUERY


def _needs_check(stmt: Statement) -> bool:
    """False for what is not SQL, and for an unterminated token (its failure is recorded here)."""
    kind = stmt.kind
    if kind is _PSQL_META or kind is _COPY_DATA:
        return False
    tokens = stmt.tokens
    if tokens and tokens[-1].kind is ERROR:  # the lexer's only ERROR token is the text's last
        stmt.parse_failure = _unterminated(tokens[-1])
        return False
    # DSQL's own AWS IAM GRANT/REVOKE, which PostgreSQL's grammar does not know, is not checked.
    return not (stmt.tag in _AWS_IAM and _is_aws_iam_mapping(tokens))


_AWS_IAM = frozenset({"AWS IAM GRANT", "AWS IAM REVOKE"})


def _is_aws_iam_mapping(tokens: Sequence[Token]) -> bool:
    """``AWS IAM GRANT role TO 'arn'`` or ``AWS IAM REVOKE role FROM 'arn'`` (DSQL's role mapping, facts.md 8.1)."""
    if len(tokens) != 6:
        return False
    role, preposition, arn = tokens[3], tokens[4], tokens[5]
    expected = "TO" if tokens[2].upper == "GRANT" else "FROM"
    return (
        role.kind in (TokenKind.WORD, TokenKind.QIDENT)
        and preposition.is_word(expected)
        and arn.kind is TokenKind.STRING
        and arn.text.startswith("'")
    )


def _record_check(stmt: Statement, accepted: bool) -> None:
    """Record PostgreSQL's verdict: a tree on demand when accepted; else sqlglot's parse, and the error."""
    if accepted:
        stmt.ast = UNPARSED
        stmt._tree = Batch([stmt])
        return
    if stmt.end - stmt.start > SQLGLOT_LIMIT and pgsyntax.available():
        # A statement this big that PostgreSQL rejects: sqlglot's parse would only explain it (a
        # MySQL-ism, a missing ASYNC ...), and costs about 40 MB and 0.6 s per MB of text (the
        # reliability sweep's 50 MB line needed several GB). PostgreSQL's own error says where.
        stmt.ast = None
        error = pgsyntax.error(stmt)
        if error is not None:
            stmt.parse_failure = _failure_from_pg_error(stmt, error)
            return
    stmt.ast = _parse_with_sqlglot(stmt, prefer_postgresql=True)
    if stmt.parse_failure is None and not pgsyntax.has_psql_variable(stmt):
        error = pgsyntax.error(stmt)  # sqlglot is lenient where PostgreSQL (and so DSQL) is not
        if error is not None:
            stmt.parse_failure = _failure_from_pg_error(stmt, error)


def sqlglot_tree(stmt: Statement) -> exp.Expr | None:
    """The sqlglot tree of a statement PostgreSQL accepted, built on first use (None if sqlglot cannot build one)."""
    failure = stmt.parse_failure
    tree = _parse_with_sqlglot(stmt)
    stmt.parse_failure = failure  # PostgreSQL's grammar accepted it: sqlglot's gaps are not the user's errors
    return tree


UNPARSED.build = sqlglot_tree  # how Statement.ast builds the tree it defers (see dsql_lint.model)


def _parse_with_sqlglot(stmt: Statement, prefer_postgresql: bool = False) -> exp.Expr | None:
    """Parse with the DSQL sqlglot dialect; on failure set ``stmt.parse_failure`` and return None.

    With ``prefer_postgresql`` (a statement PostgreSQL's grammar rejected), sqlglot's own
    messages give way to PostgreSQL's syntax error, which names the first wrong token
    (``syntax error at or near "SELEC"``) instead of sqlglot's internals; the dialect's
    explanations (MySQL backticks, ...) are kept, since they say more.
    """
    from sqlglot.errors import ParseError, TokenError

    from dsql_lint.frontend.dialect import EXPLANATION, parse_one  # imports sqlglot: only for statements that need it

    sql = stmt.source.text[stmt.start : stmt.end]
    try:
        return parse_one(sql)
    except ParseError as exc:
        stmt.parse_failure = _failure_from_parse_error(stmt, exc)
        explained = bool(exc.errors) and bool(exc.errors[0].get(EXPLANATION))
        if prefer_postgresql and not explained and not pgsyntax.has_psql_variable(stmt):
            error = pgsyntax.error(stmt)
            if error is not None:
                pg = _failure_from_pg_error(stmt, error)
                stmt.parse_failure = ParseFailure(pg.message, pg.start, pg.end)
    except TokenError as exc:
        stmt.parse_failure = ParseFailure(f"cannot tokenize: {_first_line(str(exc))}", stmt.start, stmt.start)
    except RecursionError:
        stmt.parse_failure = ParseFailure("the statement is nested too deeply to parse", stmt.start, stmt.start)
    except Exception as exc:  # sqlglot bugs must not stop the lint
        stmt.parse_failure = ParseFailure(
            f"the parser failed ({type(exc).__name__}: {_first_line(str(exc))})", stmt.start, stmt.start
        )
    return None


def _failure_from_pg_error(stmt: Statement, error: pgsyntax.PgError) -> ParseFailure:
    """PostgreSQL's syntax error on the token at its offset (the last token for "at end of input")."""
    message = f"{error.message} (PostgreSQL 16)"
    tokens = stmt.tokens
    if not tokens:
        return ParseFailure(message, stmt.start, stmt.start, by_postgresql=True)
    target = tokens[-1]
    if error.offset is not None:
        at = stmt.start + error.offset
        target = next((t for t in tokens if t.end > at), target)
    return ParseFailure(message, target.start, target.end, by_postgresql=True)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200]


def _failure_from_parse_error(stmt: Statement, exc: sqlglot_errors.ParseError) -> ParseFailure:
    if not exc.errors:
        return ParseFailure(_first_line(str(exc)), stmt.start, stmt.start)
    err = exc.errors[0]
    description = str(err.get("description") or "syntax error")
    line, col = err.get("line"), err.get("col")
    highlight = str(err.get("highlight") or "")
    if isinstance(line, int) and isinstance(col, int) and line > 0:
        base_line, base_col = stmt.source.position(stmt.start)
        # sqlglot reports the column of the last character of the offending token.
        last = stmt.source.offset(base_line + line - 1, (base_col if line == 1 else 1) + col - 1)
        first = max(stmt.start, last - max(len(highlight), 1) + 1)
        end = min(max(last + 1, first), stmt.end)
        return ParseFailure(description, first, end)
    return ParseFailure(description, stmt.start, stmt.start)


_DATA_CHANGES = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})


def _tree_can_refine(stmt: Statement) -> bool:
    """Whether :func:`refine_with_ast` could change ``stmt``: never worth building a tree for otherwise."""
    if stmt._ast is not UNPARSED:
        return True  # already parsed (or none to read): refining costs nothing
    kind = stmt.kind
    return kind is _UNKNOWN or (kind is _QUERY and not _DATA_CHANGES.isdisjoint(stmt.words))


def build_script(source: Source, markers: re.Pattern[str] | None = None) -> Script:
    """Tokenize, split, classify and parse ``source``, and group it into transactions.

    ``markers``: the migration tool's section markers, which end a statement (see :func:`split`).
    """
    tokens = tokens_of(source.text)
    statements = split(source, tokens, markers)
    for stmt in statements:
        classify(stmt)
    parse_statements(statements)
    for stmt in statements:
        if _tree_can_refine(stmt):
            refine_with_ast(stmt)
    return Script(
        source=source,
        statements=statements,
        transactions=group(statements),
        tokens=tokens,
    )

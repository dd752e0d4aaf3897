"""DSQL616 unsupported-session-parameter: DSQL accepts SET and RESET only for an allowlist of parameters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from dsql_lint.frontend.edits import delete_statement, fix
from dsql_lint.frontend.syntax import PUNCT, WORD
from dsql_lint.model import Diagnostic, Edit, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.commands._calls import calls, gate_words
from dsql_lint.text.lexer import Token

#: The parameters DSQL lets a session set ("Supported session parameters" in the DSQL user guide;
#: AWS's pgdump-proxy encodes the same list), besides every ``enable_*`` planner toggle.
ALLOWED = frozenset(
    {
        "application_name",
        "client_encoding",
        "datestyle",
        "extra_float_digits",
        "intervalstyle",
        "timezone",
        "search_path",
        "role",
        "disable_sync_create_index",
    }
)
#: Spellings of SET that set an allowed parameter under another name.
_ALIASES = {"schema": "search_path", "names": "client_encoding"}
#: Parameters DSQL506 reports (the isolation level has a rule and a message of its own).
_ISOLATION = frozenset({"default_transaction_isolation", "transaction_isolation"})
#: Parameters that only tune how this client's session behaves (time-outs, messages, checks):
#: dropping the statement changes no object and no data, so the fix is safe.
_CLIENT_ONLY = frozenset(
    {
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
        "idle_session_timeout",
        "transaction_timeout",
        "client_min_messages",
        "log_min_messages",
        "check_function_bodies",
        "synchronize_seqscans",
        "xmloption",
        "row_security",
        "work_mem",
        "maintenance_work_mem",
        "jit",
    }
)


_SET_CONFIG = frozenset({"set_config"})
_SET_CONFIG_WORDS = gate_words(_SET_CONFIG)


def _allowed(name: str) -> bool:
    return name in ALLOWED or name.startswith("enable_")


class UnsupportedSessionParameter(StatementRule):
    """Flags ``SET``/``SET SESSION``/``SET LOCAL``/``RESET`` of a parameter outside DSQL's allowlist,
    ``SET TIME ZONE``, and calls of ``set_config(...)``: the header of every ``pg_dump`` file."""

    code: ClassVar[str] = "DSQL616"
    name: ClassVar[str] = "unsupported-session-parameter"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DSQL accepts SET and RESET only for a short list of session parameters"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE  # unsafe for settings that change later statements
    help: ClassVar[str] = (
        "remove the statement; DSQL lets a session set only application_name, client_encoding, "
        "datestyle, extra_float_digits, intervalstyle, timezone, search_path, role and enable_* toggles"
    )

    #: SET and RESET statements (their first word), and any statement that calls set_config.
    words: ClassVar[frozenset[str] | None] = frozenset({"SET", "RESET"}) | _SET_CONFIG_WORDS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        tokens = stmt.tokens
        if len(tokens) < 2:
            return
        if stmt.tag not in ("SET", "RESET"):
            if not _SET_CONFIG_WORDS.isdisjoint(stmt.words):  # most are UPDATE ... SET: no tree needed
                yield from self._set_config(stmt)
            return
        i = 1
        if stmt.tag == "SET" and tokens[i].is_word("SESSION", "LOCAL"):
            if i + 1 < len(tokens) and tokens[i + 1].is_word("AUTHORIZATION", "CHARACTERISTICS"):
                return  # other statements (no recorded verdict for SESSION AUTHORIZATION)
            i += 1
        if i >= len(tokens):
            return
        first = tokens[i]
        if stmt.tag == "SET" and first.is_word("TIME") and i + 1 < len(tokens) and tokens[i + 1].is_word("ZONE"):
            zone = tokens[i + 1]
            value = tokens[i + 2] if i + 3 == len(tokens) else None
            rewrite = None
            if value is not None and value.text.startswith(
                "'"
            ):  # a zone name: the same setting, spelt as DSQL takes it
                rewrite = fix("Write SET timezone = ...", FixSafety.SAFE, Edit(first.start, zone.end, "timezone ="))
            yield self.report(
                stmt,
                first,
                zone,
                message="`SET TIME ZONE` is not supported by DSQL; `SET timezone = ...` is",
                help="write `SET timezone = '...'` (the parameter is on DSQL's list, this spelling is not)",
                fix=rewrite,
            )
            return
        if stmt.tag == "RESET" and first.is_word("ALL"):
            return  # no recorded verdict
        name, last = _parameter(tokens, i)
        if not name or name in _ISOLATION:
            return
        name = _ALIASES.get(name, name)
        if _allowed(name):
            return
        safety = FixSafety.SAFE if name in _CLIENT_ONLY or _sets_default_conforming(stmt, name) else FixSafety.UNSAFE
        yield self.report(
            stmt,
            first,
            last,
            message=f'setting configuration parameter "{name}" is not supported by DSQL',
            fix=fix(f"Remove the {stmt.tag} of {name}", safety, delete_statement(stmt)),
        )

    def _set_config(self, stmt: Statement) -> Iterator[Diagnostic]:
        tokens = stmt.tokens
        for tok in calls(stmt, _SET_CONFIG):  # from the parse tree: "set_config"(...) and pg_catalog. too
            k = tokens.index(tok)
            whole = _only_set_config(tokens, k)
            yield self.report(
                stmt,
                tok,
                message="`set_config(...)` is not supported by DSQL: it sets a session parameter",
                help="remove the call; for search_path write `SET search_path = ...`, which DSQL accepts",
                fix=fix("Remove the set_config call", FixSafety.UNSAFE, delete_statement(stmt)) if whole else None,
            )


def _parameter(tokens: Sequence[Token], i: int) -> tuple[str, Token | None]:
    """The (lower-case) parameter name starting at ``tokens[i]`` (``a.b`` for a dotted one), and its last token."""
    if tokens[i].kind is not WORD and not tokens[i].text.startswith('"'):
        return "", None
    parts = [tokens[i].identifier]
    last = tokens[i]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].kind is PUNCT and tokens[j].text == ".":
        last = tokens[j + 1]
        parts.append(last.identifier)
        j += 2
    return ".".join(parts), last


def _sets_default_conforming(stmt: Statement, name: str) -> bool:
    """``standard_conforming_strings = on`` restates PostgreSQL's default: dropping it changes nothing."""
    if name != "standard_conforming_strings":
        return False
    value = stmt.tokens[-1]
    return value.text.strip("'\"").lower() in ("on", "true", "1", "yes")


def _only_set_config(tokens: Sequence[Token], k: int) -> bool:
    """True when the statement is ``SELECT [pg_catalog.]set_config(...)`` and nothing else."""
    head = [t.text.lower() for t in tokens[:k]]
    if head not in (["select"], ["select", "pg_catalog", "."]):
        return False
    depth = 0
    for j in range(k + 1, len(tokens)):
        tok = tokens[j]
        if tok.kind is PUNCT and tok.text == "(":
            depth += 1
        elif tok.kind is PUNCT and tok.text == ")":
            depth -= 1
            if depth == 0:
                return j == len(tokens) - 1
    return False

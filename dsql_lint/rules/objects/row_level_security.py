"""DSQL227 row-level-security: DSQL has no row-level security policies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import alter_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import object_name, tag_end

POLICY_TAGS = frozenset({"CREATE POLICY", "ALTER POLICY", "DROP POLICY"})


class RowLevelSecurity(StatementRule):
    """Flags CREATE/ALTER/DROP POLICY and ALTER TABLE ... {ENABLE|DISABLE|FORCE|NO FORCE} ROW LEVEL SECURITY."""

    code: ClassVar[str] = "DSQL227"
    name: ClassVar[str] = "row-level-security"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Row-level security (policies) is not supported by DSQL"
    help: ClassVar[str] = (
        "filter rows in the application or through views, and grant access per schema or table with GRANT"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = POLICY_TAGS | {"ALTER TABLE"}
    #: A policy tag is made of its words; ALTER TABLE needs ROW LEVEL SECURITY.
    words: ClassVar[frozenset[str] | None] = frozenset({"POLICY", "SECURITY"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag in POLICY_TAGS:
            end = tag_end(stmt)
            yield self.report(
                stmt,
                stmt.tokens[0],
                stmt.tokens[max(end, 0)],
                message=f"policy `{object_name(stmt, end)}`: DSQL does not support row-level security policies",
            )
            return
        alter = alter_table(stmt)
        if alter is None:
            return
        table = name_text(stmt, alter.name_start, alter.name_stop)
        for start, stop in alter.actions:
            i = stmt.find("ROW", "LEVEL", "SECURITY", start=start, stop=stop)
            if i == -1 or not stmt.tokens[start].is_word("ENABLE", "DISABLE", "FORCE", "NO"):
                continue
            verb = " ".join(t.upper for t in stmt.tokens[start:i])
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[i + 2],
                message=f"ALTER TABLE `{table}` {verb} ROW LEVEL SECURITY: DSQL does not support row-level security",
            )

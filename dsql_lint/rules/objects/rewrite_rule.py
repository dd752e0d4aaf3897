"""DSQL228 rewrite-rule: DSQL has no query rewrite rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import alter_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import object_name, tag_end


class RewriteRule(StatementRule):
    """Flags CREATE [OR REPLACE] RULE and ALTER TABLE ... {ENABLE [REPLICA|ALWAYS]|DISABLE} RULE."""

    code: ClassVar[str] = "DSQL228"
    name: ClassVar[str] = "rewrite-rule"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Query rewrite rules (CREATE RULE) are not supported by DSQL"
    help: ClassVar[str] = (
        "use a view for read rewrites, and write to the target tables directly (from the application) "
        "instead of DO INSTEAD rules"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE RULE", "ALTER TABLE"})
    #: The CREATE RULE tag is made of its words; ALTER TABLE needs ... RULE.
    words: ClassVar[frozenset[str] | None] = frozenset({"RULE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag == "CREATE RULE":
            end = tag_end(stmt)
            yield self.report(
                stmt,
                stmt.tokens[0],
                stmt.tokens[max(end, 0)],
                message=f"rule `{object_name(stmt, end)}` cannot be created: DSQL does not support rewrite rules",
            )
            return
        alter = alter_table(stmt)
        if alter is None:
            return
        table = name_text(stmt, alter.name_start, alter.name_stop)
        for start, stop in alter.actions:
            if not stmt.tokens[start].is_word("ENABLE", "DISABLE"):
                continue
            i = stmt.find("RULE", start=start + 1, stop=min(start + 3, stop))
            if i == -1:
                continue
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[i],
                message=f"ALTER TABLE `{table}` {' '.join(t.upper for t in stmt.tokens[start : i + 1])}: "
                "DSQL does not support rewrite rules",
            )

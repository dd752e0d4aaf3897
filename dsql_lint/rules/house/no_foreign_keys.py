"""DSQL904 no-foreign-keys: optional house rule for teams that keep the pre-2026 "no foreign keys" rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, alter_table, create_table, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.house._common import house_prefix

PREFIX = house_prefix("2: no foreign keys, which DSQL did not support before 2026-08-26")


class NoForeignKeys(StatementRule):
    """Flags FOREIGN KEY table constraints and inline REFERENCES (off by default).

    DSQL has accepted foreign keys since 2026-08-26; teams whose requirements
    still list them as unsupported select this rule (``--extend-select no-foreign-keys``
    or ``--preset all``).
    """

    code: ClassVar[str] = "DSQL904"
    name: ClassVar[str] = "no-foreign-keys"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "Optional house rule: no foreign key constraints (DSQL supports them since 2026-08-26)"
    help: ClassVar[str] = (
        "drop the constraint and check the reference in the application, or turn this optional rule off: "
        "DSQL enforces foreign keys since 2026-08-26"
    )
    default_enabled: ClassVar[bool] = False

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: The finding is FOREIGN KEY or REFERENCES.
    words: ClassVar[frozenset[str] | None] = frozenset({"FOREIGN", "REFERENCES"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag == "CREATE TABLE":
            table = create_table(stmt)
            ranges = table.elements if table is not None else []
            owner = name_text(stmt, table.name_start, table.name_stop) if table is not None else "?"
        elif stmt.tag == "ALTER TABLE":
            alter = alter_table(stmt)
            ranges = alter.actions if alter is not None else []
            owner = name_text(stmt, alter.name_start, alter.name_stop) if alter is not None else "?"
        else:
            return
        tokens = stmt.tokens
        for start, stop in ranges:
            base = stmt.depths[start]
            for i in range(start, stop):
                if stmt.depths[i] != base:
                    continue
                tok = tokens[i]
                if tok.is_word("FOREIGN") and i + 1 < stop and tokens[i + 1].is_word("KEY"):
                    end = tokens[i + 1]
                elif tok.is_word("REFERENCES"):
                    if _after_foreign_key_columns(stmt, start, i):
                        continue  # the REFERENCES of a FOREIGN KEY (...) constraint, already reported
                    end = tok
                else:
                    continue
                target = _referenced(stmt, i, stop)
                yield self.report(
                    stmt,
                    tok,
                    end,
                    message=f"{PREFIX}table `{owner}` declares a foreign key to `{target}`",
                )


def _after_foreign_key_columns(stmt: Statement, start: int, i: int) -> bool:
    """True if REFERENCES at ``i`` closes a ``FOREIGN KEY (cols)`` begun in the same element."""
    return stmt.find("FOREIGN", "KEY", start=start, stop=i) != -1


def _referenced(stmt: Statement, i: int, stop: int) -> str:
    """The referenced table's name, found after the REFERENCES keyword at or after ``i``."""
    j = stmt.find("REFERENCES", start=i, stop=stop)
    if j == -1:
        return "?"
    return name_text(stmt, j + 1, qualified_name_end(stmt, j + 1)) or "?"

"""DSQL406 add-constraint-without-not-valid: DSQL adds CHECK and FOREIGN KEY constraints only NOT VALID."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after
from dsql_lint.frontend.syntax import AlterTable
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity, Statement, Transaction
from dsql_lint.rules.alter_table._common import (
    AddedConstraint,
    actions,
    added_constraint,
    statement_end,
    table_name,
)
from dsql_lint.rules.api import Context, TransactionRule

#: The words that start the constraints this rule checks (``CHECK``, ``FOREIGN KEY``).
_KIND_WORDS = frozenset({"CHECK", "FOREIGN"})


class AddConstraintWithoutNotValid(TransactionRule):
    """Flags ``ALTER TABLE ... ADD [CONSTRAINT n] CHECK (...)`` or ``... FOREIGN KEY ...`` without ``NOT VALID``.

    A transaction rule so that the fix knows whether it may append the validation statement:
    inside an explicit transaction a second DDL statement would be rejected.
    """

    code: ClassVar[str] = "DSQL406"
    name: ClassVar[str] = "add-constraint-without-not-valid"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE ADD CHECK / FOREIGN KEY must say NOT VALID in DSQL"
    help: ClassVar[str] = (
        "add NOT VALID (new rows are checked at once), then check the existing rows with "
        "ALTER TABLE ASYNC t VALIDATE CONSTRAINT c in its own transaction"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        for stmt in txn.body:
            if stmt.tag != "ALTER TABLE" or _KIND_WORDS.isdisjoint(stmt.words):
                continue  # actions() is empty, or no action adds a CHECK or FOREIGN KEY constraint
            for view, start, stop in actions(stmt):
                con = added_constraint(stmt, start, stop)
                if con is None or con.kind(stmt) not in ("CHECK", "FOREIGN KEY") or con.not_valid_index != -1:
                    continue
                kind = con.kind(stmt)
                name = f" `{stmt.tokens[con.name_index].text}`" if con.name_index != -1 else ""
                yield self.report(
                    stmt,
                    stmt.tokens[con.kind_index],
                    stmt.tokens[min(con.kind_index + (1 if kind == "FOREIGN KEY" else 0), stop - 1)],
                    message=f"{kind} constraint{name} is added to `{table_name(view)}` without NOT VALID; "
                    "DSQL only adds CHECK and FOREIGN KEY constraints as NOT VALID",
                    fix=self._not_valid_fix(stmt, view, con, txn),
                )

    def _not_valid_fix(self, stmt: Statement, view: AlterTable, con: AddedConstraint, txn: Transaction) -> Fix:
        add = insert_after(stmt.tokens[con.stop - 1], " NOT VALID")
        if con.name_index == -1 or not txn.is_autocommit or len(view.actions) != 1:
            return fix(
                "Add NOT VALID (existing rows are not checked until you validate the constraint)",
                FixSafety.UNSAFE,
                add,
            )
        end = statement_end(stmt)
        validate = (
            f"{'' if stmt.terminator is not None else ';'}\n"
            f"ALTER TABLE ASYNC {table_name(view)} VALIDATE CONSTRAINT {stmt.tokens[con.name_index].text};"
        )
        edits = [Edit(end, end, add.text + validate)] if add.start == end else [add, Edit(end, end, validate)]
        return fix("Add NOT VALID and validate the constraint asynchronously after it", FixSafety.SAFE, *edits)

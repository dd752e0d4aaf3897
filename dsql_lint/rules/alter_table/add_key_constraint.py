"""DSQL405 add-key-constraint: DSQL cannot add a PRIMARY KEY or UNIQUE constraint to an existing table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import PUNCT, AlterTable, is_name, name_text, qualified_name_end, split_commas
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity, Statement
from dsql_lint.rules.alter_table._common import (
    AddedConstraint,
    actions,
    added_constraint,
    identifier_text,
    last_identifier,
    table_name,
    word_at,
)
from dsql_lint.rules.api import Context, StatementRule


class AddKeyConstraint(StatementRule):
    """Flags ``ALTER TABLE ... ADD [CONSTRAINT n] PRIMARY KEY (...)`` and ``... UNIQUE (...)``.

    ``UNIQUE USING INDEX idx`` is left alone: DSQL parses it and answers about the index. A primary
    key cannot be added to an existing DSQL table in any form, ``PRIMARY KEY USING INDEX idx`` included.
    """

    code: ClassVar[str] = "DSQL405"
    name: ClassVar[str] = "add-key-constraint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE cannot add a PRIMARY KEY or UNIQUE constraint in DSQL"
    help: ClassVar[str] = (
        "create a unique index instead (CREATE UNIQUE INDEX ASYNC name ON table (columns)); "
        "a primary key can only be declared in CREATE TABLE"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is ADD PRIMARY KEY or UNIQUE.
    words: ClassVar[frozenset[str] | None] = frozenset({"PRIMARY", "UNIQUE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            con = added_constraint(stmt, start, stop)
            if con is None or con.kind(stmt) not in ("PRIMARY KEY", "UNIQUE"):
                continue
            kind = con.kind(stmt)
            using = stmt.find("USING", "INDEX", start=con.kind_index, stop=stop)
            with_index = using != -1 and word_at(stmt, using + 2, stop) != "TABLESPACE"
            if with_index and kind == "UNIQUE":
                continue  # ADD ... UNIQUE USING INDEX idx: DSQL parses it and answers about the index
            last = min(con.kind_index + (1 if kind == "PRIMARY KEY" else 0), stop - 1)
            index = name_text(stmt, using + 2, min(qualified_name_end(stmt, using + 2), stop)) if with_index else ""
            how = f" from index `{index}`" if index else ""
            yield self.report(
                stmt,
                stmt.tokens[con.kind_index],
                stmt.tokens[last],
                message=f"adding a {kind} constraint{how} to existing table `{table_name(view)}` "
                "is not supported by DSQL",
                fix=self._unique_index_fix(stmt, view, con, start, stop),
            )

    def _unique_index_fix(
        self, stmt: Statement, view: AlterTable, con: AddedConstraint, start: int, stop: int
    ) -> Fix | None:
        """Rewrite the statement as CREATE UNIQUE INDEX ASYNC when it is this one simple action."""
        if len(view.actions) != 1 or stmt.comments:
            return None
        tokens = stmt.tokens
        j = con.kind_index + (2 if con.kind(stmt) == "PRIMARY KEY" else 1)
        nulls = ""
        if word_at(stmt, j, stop) == "NULLS":
            k = j + 1
            if word_at(stmt, k, stop) == "NOT":
                k += 1
            if word_at(stmt, k, stop) != "DISTINCT":
                return None
            nulls = " " + " ".join(t.text for t in tokens[j : k + 1])
            j = k + 1
        if j >= stop or tokens[j].kind is not PUNCT or tokens[j].text != "(":
            return None
        close = stmt.closing(j)
        columns = [tokens[a] for a, b in split_commas(stmt, j + 1, close) if b - a == 1 and is_name(tokens[a])]
        if not columns or len(columns) != len(split_commas(stmt, j + 1, close)):
            return None
        text = stmt.source.text
        include = ""
        k = close + 1
        if word_at(stmt, k, stop) == "INCLUDE" and k + 1 < stop and tokens[k + 1].text == "(":
            inc_close = stmt.closing(k + 1)
            include = " " + text[tokens[k].start : tokens[inc_close].end]
            k = inc_close + 1
        if k != stop:
            return None  # DEFERRABLE, WITH (...), USING INDEX TABLESPACE ...: no faithful index form
        if con.name_index != -1:
            index_name = tokens[con.name_index].text
        elif con.kind(stmt) == "PRIMARY KEY":
            index_name = identifier_text(f"{last_identifier(view)}_pkey")
        else:
            cols = "_".join(c.identifier for c in columns)
            index_name = identifier_text(f"{last_identifier(view)}_{cols}_key")
        keys = text[tokens[j].start : tokens[close].end]
        new = f"CREATE UNIQUE INDEX ASYNC {index_name} ON {table_name(view)} {keys}{include}{nulls}"
        return fix(
            "Create a unique index asynchronously instead of adding the constraint (it enforces uniqueness only "
            "once the job completes; a primary key's NOT NULL is not carried over)",
            FixSafety.UNSAFE,
            Edit(tokens[0].start, tokens[-1].end, new),
        )

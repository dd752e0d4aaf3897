"""Ask the cluster about each statement: one rolled-back transaction per statement, catalog verified after."""

from __future__ import annotations

import random
import time
from collections.abc import Collection
from typing import Any

from dsql_lint.live.auth import TokenSource
from dsql_lint.live.catalog import Snapshot, fingerprint, snapshot
from dsql_lint.live.config import LiveConfig
from dsql_lint.live.connect import MAX_CONNECTION_AGE, open_connection
from dsql_lint.live.errors import LiveError, redact
from dsql_lint.live.objects import SKIPPED_KINDS, Analysis, ObjectName, analyze
from dsql_lint.live.rules import LIVE_RULES, LiveRule
from dsql_lint.model import Diagnostic, Script, Severity, Statement

_OCC_STATES = ("40001", "OC000", "OC001")


class LiveRunner:
    """One connection (renewed with a fresh token when needed) and what the run has created or dropped so far.

    The state carries over from file to file, in the order the files are linted, because a
    folder of migrations is applied in that order.
    """

    def __init__(self, cfg: LiveConfig, enabled: Collection[str] | None = None) -> None:
        self.cfg = cfg
        self.tokens = TokenSource(cfg)
        self.rules: dict[str, LiveRule] = {rule.code: rule() for rule in LIVE_RULES}
        self.enabled = set(self.rules) if enabled is None else set(enabled)
        self.conn: Any = None
        self.opened_at = 0.0
        self.catalog = Snapshot()
        self.fingerprint = ""
        #: (namespace, schema, name) -> ("created" | "dropped", "path:line")
        self.state: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.indexes_added: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------------ connection

    def open(self) -> LiveRunner:
        """Connect, and read the catalog the run starts from."""
        self._connect()
        try:
            self.catalog = snapshot(self.conn)
            self.fingerprint = fingerprint(self.conn)
        except Exception as exc:
            raise LiveError(f"cannot read the catalog of {self.cfg.endpoint}: {self._clean(exc)}") from None
        return self

    def close(self) -> None:
        """Close the connection (nothing was ever committed)."""
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def __enter__(self) -> LiveRunner:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> None:
        self.close()
        self.conn = open_connection(self.cfg, self.tokens)
        self.opened_at = time.monotonic()

    def _ensure(self) -> None:
        """Reconnect (fresh token) when the connection broke or is close to DSQL's one-hour limit."""
        if self.conn is None or self.conn.closed or time.monotonic() - self.opened_at > MAX_CONNECTION_AGE:
            self._connect()

    def _clean(self, exc: BaseException) -> str:
        return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, self.tokens.issued)

    # ------------------------------------------------------------------ checking

    def check_script(self, script: Script, static: Collection[Diagnostic] = ()) -> list[Diagnostic]:
        """Live diagnostics for every statement of ``script``; ``static`` tells what the static rules found."""
        found: list[Diagnostic] = []
        for stmt in script.statements:
            if stmt.kind in SKIPPED_KINDS or not stmt.tokens:
                continue
            found.extend(self.check_statement(stmt, static))
        return [d for d in found if d.code in self.enabled]

    def check_statement(self, stmt: Statement, static: Collection[Diagnostic] = ()) -> list[Diagnostic]:
        """Catalog checks, then (when it is safe and meaningful) the server's verdict on one statement."""
        analysis = analyze(stmt)
        where = f"{stmt.source.path}:{stmt.line}"
        dependency = self._dependency(analysis)
        conflicts = self._catalog_checks(stmt, analysis)
        self._record(analysis, where)
        if conflicts:
            return conflicts  # the server would reject it for the same reason; say it once
        if analysis.refusal:
            return [self._not_validated(stmt, None, f"not run against the cluster: {analysis.refusal}")]
        executes = not (analysis.explain and self.cfg.dml_check == "explain")
        if analysis.destructive and executes and not self.cfg.scratch_cluster:
            # Checked from the catalog above (the object exists, ...); never run on a cluster whose
            # data may matter: DSQL does not document that a rollback undoes DDL.
            return []
        if dependency is not None:
            ref, reason = dependency
            return [self._not_validated(stmt, ref, reason)]
        return self._run(stmt, analysis, static)

    # ------------------------------------------------------------------ catalog model

    def _key(self, obj: ObjectName) -> tuple[str, str, str]:
        schema, name = obj.key(self.cfg.search_path)
        return (obj.namespace, schema, name)

    def _on_cluster(self, key: tuple[str, str, str]) -> bool:
        namespace, schema, name = key
        if namespace == "schema":
            return name in self.catalog.schemas
        if namespace == "relation":
            return (schema, name) in self.catalog.relations
        if namespace == "function":
            return (schema, name) in self.catalog.functions
        return (schema, name) in self.catalog.types

    def _exists(self, key: tuple[str, str, str]) -> tuple[bool, str | None]:
        """Whether the object exists at this point of the run, and which statement made it so."""
        state = self.state.get(key)
        if state is not None:
            return state[0] == "created", state[1]
        return self._on_cluster(key), None

    def _dependency(self, analysis: Analysis) -> tuple[ObjectName, str] | None:
        needed = list(analysis.references)
        for target in analysis.targets:
            if target.schema and target.namespace != "schema":
                needed.append(ObjectName("schema", "schema", None, target.schema, target.start, target.end))
        for ref in needed:
            state = self.state.get(self._key(ref))
            if state is None:
                continue
            verb = "creates" if state[0] == "created" else "drops"
            shown = ref.display(self.cfg.search_path)
            return ref, (
                f"not validated: it depends on {ref.label} `{shown}`, which {state[1]} {verb} earlier in "
                "this run, and live mode never runs a statement on top of another one"
            )
        return None

    def _catalog_checks(self, stmt: Statement, analysis: Analysis) -> list[Diagnostic]:
        found = []
        shown_path = self.cfg.search_path
        if analysis.action == "create" and not self.cfg.is_admin:
            for target in analysis.targets:
                if target.namespace == "schema":
                    found.append(
                        self._report(
                            "DSQL014",
                            stmt,
                            target.start,
                            target.end,
                            f"role `{self.cfg.user}` is not admin, and only admin may run CREATE SCHEMA on DSQL",
                        )
                    )
                elif self._key(target)[1] == "public":
                    found.append(
                        self._report(
                            "DSQL014",
                            stmt,
                            target.start,
                            target.end,
                            f"role `{self.cfg.user}` is not admin, and only admin may create "
                            f"objects in schema `public` on DSQL (`{target.display(shown_path)}`)",
                        )
                    )
        for target in analysis.targets:
            exists, by = self._exists(self._key(target))
            shown = target.display(shown_path)
            if analysis.action == "create" and not analysis.guarded and exists:
                where = f"{by} creates it earlier in this run" if by else "on the cluster"
                found.append(
                    self._report(
                        "DSQL012",
                        stmt,
                        target.start,
                        target.end,
                        f"{target.label} `{shown}` already exists ({where}) and the statement "
                        "does not say IF NOT EXISTS",
                    )
                )
            elif analysis.action in ("alter", "drop") and not analysis.guarded and not exists:
                where = f"{by} drops it earlier in this run" if by else "on the cluster"
                found.append(
                    self._report(
                        "DSQL012", stmt, target.start, target.end, f"{target.label} `{shown}` does not exist ({where})"
                    )
                )
        found.extend(self._index_limit(stmt, analysis))
        return found

    def _index_limit(self, stmt: Statement, analysis: Analysis) -> list[Diagnostic]:
        table: ObjectName | None = analysis.index_table
        added = 1 if table is not None else analysis.table_indexes
        if table is None and analysis.targets and analysis.targets[0].label == "table" and added:
            table = analysis.targets[0]
        if table is None or analysis.action not in ("create", "alter") or not added:
            return []
        _, schema, name = self._key(table)
        state = self.state.get(("relation", schema, name))
        existing = 0 if state is not None else self.catalog.index_counts.get((schema, name), 0)
        earlier = self.indexes_added.get((schema, name), 0)
        total = existing + earlier + added
        if total <= self.cfg.index_limit:
            return []
        return [
            self._report(
                "DSQL013",
                stmt,
                table.start,
                table.end,
                f"table `{schema}.{name}` would have {total} indexes ({existing} on the cluster, "
                f"{earlier + added} from this run); DSQL allows at most {self.cfg.index_limit}",
            )
        ]

    def _record(self, analysis: Analysis, where: str) -> None:
        """Remember what this statement would create or drop, for the statements after it."""
        if analysis.action == "create":
            for target in analysis.targets:
                key = self._key(target)
                if not self._exists(key)[0]:
                    self.state[key] = ("created", where)
                    if target.label == "table":
                        self.indexes_added.pop((key[1], key[2]), None)
        elif analysis.action == "drop":
            for target in analysis.targets:
                key = self._key(target)
                if self._exists(key)[0]:
                    self.state[key] = ("dropped", where)
        table = analysis.index_table
        if (
            table is None
            and analysis.action in ("create", "alter")
            and analysis.targets
            and analysis.targets[0].label == "table"
        ):
            table = analysis.targets[0]
        count = 1 if analysis.index_table is not None else analysis.table_indexes
        if table is not None and count:
            _, schema, name = self._key(table)
            self.indexes_added[(schema, name)] = self.indexes_added.get((schema, name), 0) + count

    # ------------------------------------------------------------------ running

    def _run(self, stmt: Statement, analysis: Analysis, static: Collection[Diagnostic]) -> list[Diagnostic]:
        import psycopg

        sql = stmt.source.text[stmt.start : stmt.end]
        prefix = "EXPLAIN " if analysis.explain and self.cfg.dml_check == "explain" else ""
        where = f"{stmt.source.path}:{stmt.line}"
        result: list[Diagnostic] = []
        attempts = self.cfg.max_retries + 1
        for attempt in range(attempts):
            self._ensure()
            error: psycopg.Error | None = None
            try:
                self.conn.execute("BEGIN")
                try:
                    # binary=True makes psycopg use the extended protocol, which runs exactly one
                    # statement: a simple query would run every ';'-separated command the text
                    # holds (a COMMIT among them), whatever the lexer made of it.
                    self.conn.execute(prefix + sql, prepare=False, binary=True)
                finally:
                    self._rollback(where)
            except psycopg.errors.QueryCanceled:
                result = [
                    self._not_validated(
                        stmt,
                        None,
                        f"not validated: the cluster did not answer within the "
                        f"{self.cfg.statement_timeout:g} s statement timeout",
                    )
                ]
                break
            except psycopg.OperationalError as exc:
                if self.conn is not None and not self.conn.closed:
                    error = exc
                elif attempt + 1 < attempts:
                    self._connect()
                    continue
                else:
                    raise LiveError(
                        f"lost the connection to {self.cfg.endpoint} while checking {where}: {self._clean(exc)}"
                    ) from None
            except psycopg.Error as exc:
                error = exc
            if error is not None and self._is_occ(error) and attempt + 1 < attempts:
                time.sleep(min(2.0, 0.05 * 2**attempt) * (1 + random.random() * 0.25))
                continue
            if error is not None:
                result = [self._rejected(stmt, error, len(prefix), static)]
            break
        self._verify_catalog(where)
        return result

    def _rollback(self, where: str) -> None:
        import psycopg

        try:
            self.conn.execute("ROLLBACK")
        except psycopg.Error as exc:
            self.close()
            raise LiveError(
                f"{where}: the rollback failed ({self._clean(exc)}); live mode stopped. Check the "
                "cluster: nothing was committed on purpose, but DSQL does not document DDL "
                "rollback"
            ) from None

    @staticmethod
    def _is_occ(error: Any) -> bool:
        text = str(error)
        return getattr(error, "sqlstate", None) == "40001" or any(code in text for code in _OCC_STATES[1:])

    def _verify_catalog(self, where: str) -> None:
        """Refuse to go on when a rolled-back statement left a trace in the catalog."""
        self._ensure()
        attempts = self.cfg.max_retries + 1
        for attempt in range(attempts):
            try:
                after = fingerprint(self.conn)
                break
            except Exception as exc:
                if self._is_occ(exc) and attempt + 1 < attempts:  # OC001: the catalog moved under the read
                    time.sleep(min(2.0, 0.05 * 2**attempt) * (1 + random.random() * 0.25))
                    continue
                raise LiveError(
                    f"{where}: cannot re-read the catalog after the rollback ({self._clean(exc)}); live mode stopped"
                ) from None
        if after != self.fingerprint:
            raise LiveError(
                f"{where}: the cluster's catalog changed while this statement was checked: either its rolled-back "
                "transaction left a trace (DSQL does not document DDL rollback), or another session changed the "
                "schema at the same time, which live mode cannot tell apart; it stopped so that nothing else "
                "changes. Inspect the cluster, and run live mode when nobody else changes the schema"
            )

    # ------------------------------------------------------------------ diagnostics

    def _report(
        self, code: str, stmt: Statement, start: int, end: int, message: str, help: str | None = None
    ) -> Diagnostic:
        return self.rules[code].report(stmt, start, end, message=message, help=help)

    def _not_validated(self, stmt: Statement, ref: ObjectName | None, reason: str) -> Diagnostic:
        first = stmt.tokens[0]
        start, end = (ref.start, ref.end) if ref is not None else (first.start, first.end)
        return self._report("DSQL011", stmt, start, end, reason)

    def _rejected(self, stmt: Statement, error: Any, prefix_len: int, static: Collection[Diagnostic]) -> Diagnostic:
        diag = error.diag
        primary = redact(diag.message_primary or self._clean(error), self.tokens.issued)
        sqlstate = diag.sqlstate or "?????"
        start, end = stmt.tokens[0].start, stmt.tokens[0].end
        position = diag.statement_position
        if position and str(position).isdigit():
            offset = stmt.start + int(position) - 1 - prefix_len
            offset = max(stmt.start, min(offset, stmt.end - 1))
            for tok in stmt.tokens:
                if tok.end > offset:
                    start, end = tok.start, tok.end
                    break
        caught = any(
            d.severity is Severity.ERROR and stmt.start <= d.start < stmt.end and not d.code.startswith("DSQL01")
            for d in static
        )
        message = f"the cluster rejected this statement: {primary} (SQLSTATE {sqlstate})"
        if not caught:
            message += "; not caught statically"
        extra = [redact(text, self.tokens.issued) for text in (diag.message_detail, diag.message_hint) if text]
        help_text = "; ".join(extra) if extra else None
        return self._report("DSQL010", stmt, start, end, message, help_text)

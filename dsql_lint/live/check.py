"""``dsql-lint check --live``: add the cluster's verdicts to the static results of a run."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from dsql_lint.config.settings import Settings
from dsql_lint.frontend.script import build_script
from dsql_lint.lint.suppress import filter_suppressed
from dsql_lint.live.config import load_live_table, resolve
from dsql_lint.live.runner import LiveRunner
from dsql_lint.model import Diagnostic
from dsql_lint.run.lint import RunResult


def check_run(
    result: RunResult,
    options: Mapping[str, Any],
    enabled: Collection[str] | None = None,
    table: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> None:
    """Add live diagnostics to every linted file of ``result`` (in place); raise LiveError on a failure.

    With ``settings``, live findings obey the same suppression comments and per-file ignores as static ones.
    """
    cfg = resolve(options, load_live_table() if table is None else table)
    with LiveRunner(cfg, enabled) as runner:
        for file in result.files:
            if file.error is not None:
                continue
            if file.source is None and file.path != "-":
                # A cache hit without static findings leaves the text unread: live mode reads it now,
                # or a second ``check --live`` would ask the cluster nothing.
                from pathlib import Path

                from dsql_lint.text.source import SourceError, read_path

                try:
                    file.source = read_path(Path(file.path))
                except SourceError as exc:
                    file.error = exc.message
                    continue
            if file.source is None:
                continue
            script = build_script(file.source)
            found = runner.check_script(script, file.diagnostics)
            if settings is not None:
                found = filter_suppressed(file.source, list(found), settings)
            file.diagnostics.extend(found)
            file.diagnostics.sort(key=Diagnostic.sort_key)

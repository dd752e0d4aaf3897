"""``dsql-lint check --live``: add the cluster's verdicts to the static results of a run."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from dsql_lint.live.config import load_live_table, resolve
from dsql_lint.live.runner import LiveRunner
from dsql_lint.model import Diagnostic
from dsql_lint.run import RunResult
from dsql_lint.script import build_script


def check_run(
    result: RunResult,
    options: Mapping[str, Any],
    enabled: Collection[str] | None = None,
    table: Mapping[str, Any] | None = None,
) -> None:
    """Add live diagnostics to every linted file of ``result`` (in place); raise LiveError on a failure."""
    cfg = resolve(options, load_live_table() if table is None else table)
    with LiveRunner(cfg, enabled) as runner:
        for file in result.files:
            if file.source is None or file.error is not None:
                continue
            script = build_script(file.source)
            file.diagnostics.extend(runner.check_script(script, file.diagnostics))
            file.diagnostics.sort(key=Diagnostic.sort_key)

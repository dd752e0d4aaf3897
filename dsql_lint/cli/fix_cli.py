"""``check --fix``, ``--diff`` and ``--unsafe-fixes``: the command-line side of :mod:`dsql_lint.fix.apply`.

- ``--fix`` applies safe fixes (and unsafe ones with ``--unsafe-fixes``) and
  rewrites the files in place; the report then lists what remains, and the exit
  code is 0 when nothing remains, 1 otherwise.
- ``--diff`` prints a unified diff of what ``--fix`` would change and writes
  nothing; exit 1 when there is something to fix, 0 (and no output) otherwise.
- ``-`` with ``--fix`` writes the fixed SQL (or the unchanged input) to standard
  output, and the report of what remains to standard error, like ruff.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from dsql_lint.frontend.discover import STDIN

if TYPE_CHECKING:
    from dsql_lint.lint.engine import Linter
    from dsql_lint.run.lint import RunResult

F = TypeVar("F", bound=Callable[..., Any])


class FixUsageError(Exception):
    """Options that cannot be combined; the message is a sentence for the user."""


def apply_fix_options(
    result: RunResult, linter: Linter, paths: list[str], *, fix: bool, diff: bool, unsafe: bool
) -> tuple[TextIO, int | None]:
    """Run the fix mode asked for on ``result``.

    Returns the stream the report must go to, and an exit code when the command
    is finished (``--diff``), else None. Writing a file that fails is reported on
    stderr and makes the exit code 2 (the result's file error).
    """
    result.unsafe_fixes = unsafe
    if not (fix or diff):
        return sys.stdout, None
    from dsql_lint.cli.check_command import echo
    from dsql_lint.fix.apply import fix_run, unified_diff, write_fixed  # about 20 ms: only when fixing

    reads_stdin = STDIN in paths
    if fix and not diff and reads_stdin and len(paths) > 1:
        raise FixUsageError("--fix with standard input (-) prints the fixed SQL, so `-` must be the only path")
    outcomes = fix_run(result, linter, unsafe=unsafe)
    for outcome in outcomes:
        if outcome.stopped_early:
            echo(
                f"warning: {outcome.original.path}: fixing stopped after {outcome.passes} passes because fixes kept "
                "changing the file (two rules undoing each other); this is a bug, please report it",
                err=True,
            )
    if diff:
        changed = 0
        fixed = 0
        for outcome in outcomes:
            text = unified_diff(outcome.original.path, outcome.original.text, outcome.source.text)
            if text:
                changed += 1
                fixed += len(outcome.fixed)
                sys.stdout.write(text)
        if changed:
            echo(
                f"Would fix {fixed} finding{'' if fixed == 1 else 's'} in {changed} file{'' if changed == 1 else 's'}.",
                err=True,
            )
        return sys.stdout, 2 if result.file_errors else (1 if changed else 0)
    if reads_stdin:
        from dsql_lint.text.source import STDIN_BYTES

        for file in result.files:
            if file.source is not None:
                sys.stdout.write(file.source.text)
            elif STDIN_BYTES:  # not text dsql-lint can read (not UTF-8 ...): given back unchanged
                sys.stdout.flush()
                sys.stdout.buffer.write(STDIN_BYTES[0])
        sys.stdout.flush()
        return sys.stderr, None
    by_path = {f.path: f for f in result.files}
    for outcome in outcomes:
        try:
            write_fixed(outcome)
        except OSError as exc:
            message = f"cannot be written ({exc.strerror or exc}); it was left unchanged"
            echo(f"error: {outcome.original.path}: {message}", err=True)
            failed = by_path.get(outcome.original.path)
            if failed is not None:
                failed.error = message
                failed.fixed = []  # nothing was written: no finding of this file was fixed
    return sys.stdout, None

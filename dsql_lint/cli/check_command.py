"""What ``dsql-lint check`` does once its options are parsed, without importing click.

``cli.check`` (click) and :mod:`dsql_lint.cli.quickcheck` (a plain invocation parsed without
click, about 25-30 ms less start-up) both call :func:`run_check` with the same keyword
arguments, so the two paths share every line of behaviour after parsing. Messages go through
:func:`echo`, which writes exactly what ``click.echo`` writes and hands anything unusual
(non-ASCII text, escape sequences, a missing stream) to ``click.echo`` itself.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

    from dsql_lint.run.lint import FileResult, RunResult

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
#: The cyclic collector's thresholds during a run (see :func:`tune_garbage_collector`).
GC_THRESHOLDS = (100_000, 50, 100)


def echo(message: str, err: bool = False) -> None:
    """``click.echo(message, err=err)``: the message and a newline, flushed."""
    stream = sys.stderr if err else sys.stdout
    if stream is None or not message.isascii() or "\x1b" in message:
        import click  # escape sequences are stripped off terminals, other encodings are click's business

        click.echo(message, err=err)
        return
    stream.write(message + "\n")
    stream.flush()


def fail(message: str) -> NoReturn:
    """Say what went wrong on standard error and exit 2."""
    echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


#: Control characters as escapes: a file may be named "a\nb.sql", and an error is one line.
_CONTROL = {
    **{c: f"\\x{c:02x}" for c in (*range(32), 127, 0x85)},
    9: "\\t",
    10: "\\n",
    13: "\\r",
    0x2028: "\\u2028",  # str.splitlines() ends a line at these too
    0x2029: "\\u2029",
}


def one_line(path: str) -> str:
    """``path`` with its control characters (newlines, tabs ...) written as escapes."""
    return path.translate(_CONTROL) if not path.isprintable() else path


def tolerate_unencodable_output() -> None:
    """Write what the output's encoding cannot carry as backslash escapes instead of failing.

    A file name that is not UTF-8 (``V1__\\xff.sql`` reaches Python as ``V1__\\udcff.sql``) or a
    non-ASCII name on an ASCII-only terminal (``LANG=C``, ``PYTHONIOENCODING=ascii``) once ended
    the run with a UnicodeEncodeError. Streams already more tolerant than ``strict`` are left alone.
    """
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict":
            try:
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                continue


def use_color(stream: TextIO, option: bool | None) -> bool:
    """Colour: the option, else ``NO_COLOR``/``FORCE_COLOR``, else whether ``stream`` is a terminal."""
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def run_check(
    paths: tuple[str, ...],
    output_format: str | None,
    preset: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    stdin_filename: str | None,
    color: bool | None,
    live: bool,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    config_path: str | None,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool | None,
    fail_on: str | None,
    exit_zero: bool,
    output_file: str | None,
    statistics: bool,
    add_noqa: bool,
    format_of_migrations: str | None,
    include_down: bool | None,
    assume_in_transaction: bool | None,
    diff_base: str | None,
    aws_adapter: bool | None,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int,
    **live_settings: Any,
) -> NoReturn:
    """Lint SQL files, directories (searched for *.sql) or standard input (-); always exits."""
    tolerate_unencodable_output()
    import gc

    gc.set_threshold(*GC_THRESHOLDS)  # already for the imports below (see tune_garbage_collector)
    from dsql_lint.cli.check_options import emit_report, exit_code, output_format_of, resolve_settings
    from dsql_lint.cli.fix_cli import FixUsageError, apply_fix_options
    from dsql_lint.cli.speed_options import lint_with, prepare, report_stream
    from dsql_lint.config.file import ConfigError, select_paths
    from dsql_lint.config.settings import SettingsError
    from dsql_lint.rules.registry import RegistryError
    from dsql_lint.run.lint import RunResult

    try:
        config, settings = resolve_settings(
            list(paths) or ["."], config_path, stdin_filename,
            preset=preset, select=select, extend_select=extend_select, ignore=ignore,
            exclude=exclude, extend_exclude=extend_exclude, force_exclude=force_exclude, fail_on=fail_on,
        )  # fmt: skip
        output_format = output_format_of(output_format, config)
        _say_distant_config(config_path, settings.config_path)
        migration_options = (format_of_migrations, include_down, assume_in_transaction, diff_base, aws_adapter)
        if any(option is not None for option in migration_options):  # its module imports click
            from dsql_lint.migrations.cli_options import apply_migration_options

            apply_migration_options(settings, *migration_options)
        linter, cache = prepare(settings, no_cache, cache_dir)
    except (ConfigError, SettingsError, RegistryError) as exc:
        fail(str(exc))
    files = select_paths(list(paths) or ["."], settings)
    from dsql_lint.migrations import PlanError

    tune_garbage_collector()

    # A check is linted while its report (or --statistics) is written: memory does not grow with
    # the folder. What needs the whole run first (fixing, --add-noqa, --live) is not.
    stream = output_format in STREAMED_FORMATS and not (add_noqa or fix or diff or live)
    try:
        result = lint_with(files, linter, stdin_filename, cache, jobs, output_format, stream, _say_unlinted)
    except PlanError as exc:
        fail(str(exc))
    except RuntimeError as exc:
        _say_worker_error(exc, "nothing was reported")
    if not isinstance(result, RunResult):  # a StreamedRun: linted as the report below is written
        result.unsafe_fixes = unsafe_fixes
        out: TextIO = report_stream(result, sys.stdout)
    else:
        for failed in result.file_errors:
            _say_unlinted(failed)
        _say_stale_catalog()
        if add_noqa:
            _add_noqa(result, fix or diff)
        try:
            out, done = apply_fix_options(result, linter, list(paths) or ["."], fix=fix, diff=diff, unsafe=unsafe_fixes)
        except FixUsageError as exc:
            fail(str(exc))
        if done is not None:
            sys.exit(done)
        if live:
            enabled = {r.code for r in linter.rules}
            _check_live(result, enabled, live_settings, linter.settings.options.get("live"), linter.settings)

    def recorded_code() -> int | None:  # the run record's exit code; None: no record
        return None if result.file_errors else exit_code(result, settings, exit_zero)

    replay = (cache, recorded_code) if cache is not None and not (live or fix or diff) else None
    try:
        emit_report(result, output_format, out, use_color(out, color), output_file, statistics, replay)
        out.flush()
    except BrokenPipeError:  # the reader went away (``| head``): nothing more to say to it
        _discard_stdout()
    except OSError as exc:  # a full disk (``> /dev/full``), a closed terminal ...
        _discard_stdout()
        fail(f"cannot write the report: {exc.strerror or exc}")
    except RuntimeError as exc:  # a streamed run's worker died while its report was written
        out.flush()
        _say_worker_error(exc, "no complete report was written")
    if not isinstance(result, RunResult):
        _say_stale_catalog()
    sys.exit(exit_code(result, settings, exit_zero))


#: Formats a plain check streams: all of them (sarif and junit keep what must wait for the
#: run's end, the rules and the counts, in a temporary file: dsql_lint.text.disk.Spill).
STREAMED_FORMATS = frozenset({"text", "concise", "github", "json", "gitlab", "sarif", "junit"})


def _say_unlinted(failed: FileResult) -> None:
    echo(f"error: {one_line(failed.path)}: {failed.error}", err=True)


def _say_stale_catalog() -> None:
    catalog = sys.modules.get("dsql_lint.rules.catalog")
    if catalog is not None and catalog.STALE:  # a developer edited a rule: runs are slower, say why
        echo(
            "note: dsql_lint/rules/_catalog.py does not match the rule sources, so every rule was imported "
            "(slower); run `python -m dsql_lint.rules.catalog`",
            err=True,
        )


def _say_worker_error(exc: RuntimeError, consequence: str) -> NoReturn:
    from dsql_lint.run.parallel import WorkerError

    if not isinstance(exc, WorkerError):
        raise exc
    fail(f"{exc}; {consequence} (try --jobs 1, which lints in one process)")


def _say_distant_config(explicit: str | None, used: str | None) -> None:
    """Name the configuration file on stderr when it was found above the current folder: a file
    of an enclosing project applies silently otherwise (its ``exclude`` can hide every file)."""
    if explicit or not used:
        return
    folder = os.path.dirname(used)
    here = os.path.realpath(os.getcwd())
    if os.path.commonpath([here, folder]) != folder or folder == here:
        return
    echo(f"note: using the configuration in {one_line(used)}", err=True)


def _discard_stdout() -> None:
    """Point standard output at the null device, so the exit's own flush of what is left cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def tune_garbage_collector() -> None:
    """Collect cycles less often during a lint run (this process only; the Python API leaves it alone).

    A run allocates millions of short-lived tokens; with Python's default thresholds the cyclic
    collector keeps walking everything already loaded (modules, rules, settings) and costs
    about a tenth of a cold run. Freezing what is loaded now moves it out of the collector's
    way (forked workers inherit that), and a higher first threshold makes passes rarer (it is
    set as :func:`run_check` starts, so that the ~150 modules it imports are not walked
    either: ~3 ms of a small file's run). Cycles are still collected, so memory stays flat
    across files.
    """
    import gc

    from dsql_lint.run import parallel

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    parallel.KEEP_GATHERED = True  # this process exits after the report (see parallel.KEEP_GATHERED)


def _add_noqa(result: RunResult, fixing: bool) -> NoReturn:
    """``--add-noqa``: write a suppression for every finding, say how many, exit."""
    from dsql_lint.fix.noqa import add_noqa_to_run

    if fixing:
        fail("--add-noqa cannot be combined with --fix or --diff")
    added, changed, failed = add_noqa_to_run(result)
    for path, message in failed:
        echo(f"error: {one_line(path)}: {message}", err=True)
    plural = ("s" if added != 1 else "", "s" if changed != 1 else "")
    echo(f"Added {added} noqa directive{plural[0]} to {changed} file{plural[1]}.")
    sys.exit(EXIT_ERROR if result.file_errors else EXIT_OK)


def _check_live(
    result: Any, enabled: set[str], options: dict[str, Any], table: Any = None, settings: Any = None
) -> None:
    """Add the cluster's verdicts (``--live``); any failure is one sentence and exit 2.

    ``table`` is the configuration's ``live`` table when the config loader found one.
    """
    from dsql_lint.live.errors import LiveError, redact

    try:
        from dsql_lint.live.check import check_run

        check_run(result, options, enabled, table if isinstance(table, dict) else None, settings)
    except LiveError as exc:
        fail(str(exc))
    except Exception as exc:  # never a traceback, never a token
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        fail(f"live mode failed: {type(exc).__name__}: {redact(first)}")

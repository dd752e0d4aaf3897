"""``check --no-cache``, ``--cache-dir`` and ``--jobs``: the command-line side of the cache and the pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

if TYPE_CHECKING:
    from dsql_lint.config.settings import Settings
    from dsql_lint.lint.engine import Linter
    from dsql_lint.run.cache import Cache
    from dsql_lint.run.lint import FileResult, Run

F = TypeVar("F", bound=Callable[..., Any])


def prepare(
    settings: Settings, no_cache: bool, cache_dir: str | None, eager: bool = False
) -> tuple[Linter, Cache | None]:
    """The linter and cache of a run.

    The linter is lazy (no rule is loaded until a file needs linting) when the cache already
    holds results for these exact settings and rules, which proves the settings valid; else
    it is built now, so that bad settings fail before any file is read. ``eager`` forces it.
    """
    from dsql_lint.run.lint import make_linter

    cache = None
    if not no_cache:
        from dsql_lint.run.cache import Cache

        if cache_dir is None and settings.root:
            from pathlib import Path

            from dsql_lint.run.cache import CACHE_DIR_NAME

            cache_dir = str(Path(settings.root) / CACHE_DIR_NAME)
        cache = Cache.open(cache_dir, settings.cache_key())
    if cache is not None and cache.known and not eager:
        from dsql_lint.run.parallel import LazyLinter

        return LazyLinter(settings), cache
    return make_linter(settings), cache


def jobs_of(option: int) -> int:
    """The number of worker processes: the option, or one per CPU."""
    if option > 0:
        return option
    from dsql_lint.run.parallel import default_jobs

    return default_jobs()


def lint_with(
    files: list[str],
    linter: Linter,
    stdin_filename: str | None,
    cache: Cache | None,
    jobs: int,
    output_format: str,
    stream: bool = False,
    on_error: Callable[[FileResult], None] | None = None,
) -> Run:
    """``lint_files`` with the cache, ``jobs`` processes, and a progress bar where one is wanted.

    With ``stream`` the run is a :class:`~dsql_lint.run.lint.StreamedRun`: its files are linted
    as the report reads them (write the report through :func:`report_stream`, which keeps the bar
    under it), and ``on_error`` hears of each file that could not be linted then.
    """
    from dsql_lint.run import progress

    bar = progress.ProgressBar() if progress.wanted(output_format) else None
    if stream:
        from dsql_lint.run.lint import stream_files

        return stream_files(
            files, linter, stdin_filename, cache=cache, jobs=jobs_of(jobs), on_error=on_error, progress=bar
        )
    from dsql_lint.run.lint import lint_files

    try:
        return lint_files(files, linter, stdin_filename, cache=cache, jobs=jobs_of(jobs), progress=bar)
    finally:
        if bar is not None:
            bar.close()


def report_stream(run: Run, out: TextIO) -> TextIO:
    """Where ``run``'s report goes: ``out``, or with a streamed run drawing a progress bar, ``out``
    erasing the bar before each write (:class:`dsql_lint.run.progress.BelowTheReport`)."""
    bar = getattr(run, "progress", None)
    if bar is None:
        return out
    from dsql_lint.run.progress import BelowTheReport

    return cast("TextIO", BelowTheReport(out, bar))

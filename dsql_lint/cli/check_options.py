"""``dsql-lint check`` options for fitting into a team's tools: configuration, output, exit code.

Kept out of ``cli.py`` so that the command only wires things together: the options are
declared by :func:`ecosystem_options`, settings are resolved by :func:`resolve_settings`,
and the report and exit code come from :func:`emit_report` and :func:`exit_code`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

if TYPE_CHECKING:  # importing this module must stay cheap: it is loaded with the CLI (without click, see quickcheck)
    from dsql_lint.config.file import ConfigFile
    from dsql_lint.config.settings import Settings
    from dsql_lint.run.cache import Cache
    from dsql_lint.run.lint import Run

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def resolve_settings(
    paths: list[str],
    config_path: str | None,
    stdin_filename: str | None,
    *,
    preset: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...] = (),
    extend_exclude: tuple[str, ...] = (),
    force_exclude: bool | None = None,
    fail_on: str | None = None,
) -> tuple[ConfigFile, Settings]:
    """The configuration file and the settings it gives with the command-line options applied.

    Raises :class:`dsql_lint.config.file.ConfigError` or :class:`dsql_lint.config.settings.SettingsError`.
    """
    from dsql_lint.config.file import Overrides, build_settings, discover_config

    config = discover_config(paths, config_path, stdin_filename)
    overrides = Overrides(
        preset=preset,
        select=_split(select) or None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
        exclude=_split(exclude) or None,
        extend_exclude=_split(extend_exclude),
        force_exclude=force_exclude,
        fail_on=fail_on,
    )
    return config, build_settings(config, overrides)


def output_format_of(option: str | None, config: ConfigFile) -> str:
    """The ``--format`` option, else the file's ``output-format``, else ``text``."""
    from dsql_lint.config.file import ConfigError
    from dsql_lint.report import FORMATS

    chosen = option or config.values.get("output-format") or "text"
    if chosen not in FORMATS:
        raise ConfigError(f"{config.origin}: `output-format` must be one of {', '.join(FORMATS)} (got {chosen!r})")
    return str(chosen)


def write_statistics(result: Run, out: TextIO, fmt: str) -> None:
    """Counts per rule, most frequent first (``--statistics``); JSON when ``fmt`` is json.

    One pass over the findings (a streamed run is linted as it is read): a rule's count, the name
    its first finding gives, and whether any of its findings has a fix.
    """
    import json

    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    fixable: set[str] = set()
    for d in result.findings():
        counts[d.code] += 1
        names.setdefault(d.code, d.name)
        if d.fix is not None:
            fixable.add(d.code)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        data = [{"code": code, "name": names[code], "count": n, "fixable": code in fixable} for code, n in rows]
        out.write(json.dumps(data, indent=2) + "\n")
        return
    width = max((len(str(n)) for _, n in rows), default=1)
    for code, n in rows:
        out.write(f"{str(n).rjust(width)}\t{code}\t{'[*] ' if code in fixable else ''}{names[code]}\n")


def emit_report(
    result: Run,
    fmt: str,
    out: TextIO,
    color: bool,
    output_file: str | None = None,
    statistics: bool = False,
    replay: tuple[Cache, Callable[[], int | None]] | None = None,
) -> None:
    """Write the report (or the statistics) to ``out``, or to ``output_file`` without colour.

    ``replay`` (the run's cache, and what gives the exit code once the report is written, None when
    the run must not be recorded) lets an identical later run print the same report without
    linting, planning or rendering anything (see :mod:`dsql_lint.cli.fastpath`). A streamed run
    (:class:`dsql_lint.run.lint.StreamedRun`) is linted while its report is written, so its exit
    code is known only after.
    """
    from dsql_lint.report import get_reporter

    def write(stream: TextIO, colored: bool) -> None:
        if statistics:
            write_statistics(result, stream, fmt)
        else:
            get_reporter(fmt)(result, stream, colored)

    if output_file is None:
        from dsql_lint.cli import fastpath

        request = fastpath.pending()
        if replay is not None and request is not None:
            cache, code_of = replay
            # The report goes out as it is written, and into the run record at once (no copy held).
            spool = fastpath.Spool.open(out, str(cache.directory))
            if spool is not None:
                try:
                    write(cast("TextIO", spool), color)  # reporters only write
                    code = code_of()
                except BaseException:
                    spool.discard()
                    raise
                if code is None:
                    spool.discard()
                    return
                fastpath.record(request, spool, cache.linted, code, cache.linted_stats)
                return
        write(out, color)
        return
    try:
        handle = open(output_file, "w", encoding="utf-8", errors="backslashreplace", newline="\n")  # noqa: SIM115
    except OSError as exc:
        from dsql_lint.cli.check_command import fail

        fail(f"cannot write the report to {output_file}: {exc.strerror or exc}")
    with handle:
        write(handle, False)


def exit_code(result: Run, settings: Settings, exit_zero: bool = False) -> int:
    """2 when a file could not be linted; else 0 or 1 by ``--exit-zero`` and ``fail-on``."""
    from dsql_lint.model import Severity

    if result.file_errors:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    failing = result.tally().at_least(Severity(settings.fail_on))
    return EXIT_FINDINGS if failing else EXIT_OK

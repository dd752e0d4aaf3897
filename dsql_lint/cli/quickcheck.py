"""Run a plain ``dsql-lint check`` without importing click.

click, with what it pulls in (``uuid``, ``platform``, ``datetime``, ``gettext``...) and the
~60 options the command declares, is about 25-35 ms of a small file's run: a sixth of it.
The ``dsql-lint`` entry point (:func:`dsql_lint.cli.fastpath.main`) therefore first asks
:func:`parse` for the keyword arguments click would pass to ``cli.check``; when the command
line is plain (``check`` followed by known options written in a usual way, valid values, paths),
:func:`main` calls :func:`dsql_lint.cli.check_command.run_check` with them directly, which is what
``cli.check`` calls too. Anything else is left to click, unchanged: ``--help``, ``--version``,
other commands, an unknown, abbreviated or malformed option, a value click would reject or
convert, an option value that starts with ``-``, the live options, shell completion.

The arguments :func:`parse` returns are the ones click gives (``tests/test_quickcheck.py``
compares them with click's for many command lines), and :func:`main` handles an interrupt and a
closed pipe as click's standalone mode does.
"""

from __future__ import annotations

import os
import stat
import sys

from dsql_lint.cli.check_spec import DEFAULTS
from dsql_lint.cli.check_spec import PATH_TYPES as _PATH_TYPES
from dsql_lint.cli.check_spec import QUICK_FLAGS as _FLAGS
from dsql_lint.cli.check_spec import QUICK_VALUES as _VALUES

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def _path_ok(value: str, file_okay: bool, dir_okay: bool, writable: bool) -> bool:
    """True when ``click.Path(file_okay=..., dir_okay=..., writable=...)`` accepts ``value`` unchanged."""
    if not value:
        return False  # let click say what it makes of an empty path
    try:
        st = os.stat(value)
    except (OSError, ValueError):
        return True  # click's Path does not require existence: it passes the value through
    if not file_okay and stat.S_ISREG(st.st_mode):
        return False
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        return False
    if not os.access(value, os.R_OK):
        return False
    return not (writable and not os.access(value, os.W_OK))


def _convert(kind: Any, value: str) -> tuple[bool, Any]:
    """(accepted, converted value) for one option value of ``kind``."""
    if value.startswith("-"):
        return False, None  # click would take it as the value; an unusual command line: let click decide
    if kind == "str" or kind == "multi" or kind == "path":
        return True, value
    if kind == "jobs":
        if value.isascii() and value.isdigit():
            return True, int(value)
        return False, None
    if kind == "migrations":
        from dsql_lint.migrations.files import FORMATS

        return value in FORMATS, value
    return value in kind, value


def _completing(environ: Mapping[str, str]) -> bool:
    """True when a shell asks click for completions (``_<PROG>_COMPLETE`` is set)."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") and value for name, value in environ.items())


def parse(argv: list[str], environ: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The keyword arguments click would pass to ``cli.check`` for ``argv`` (after the program name).

    None when the command line is not a plain ``check`` (see the module's documentation).
    """
    env = os.environ if environ is None else environ
    if not argv or argv[0] != "check" or _completing(env):
        return None
    params = dict(DEFAULTS)
    paths: list[str] = []
    multi: dict[str, list[str]] = {}
    args = iter(argv[1:])
    for arg in args:
        if arg == "--":
            paths.extend(args)
            break
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not eq:
            param, flag = _FLAGS[name]
            params[param] = flag
            continue
        if name not in _VALUES:
            if arg[:2] == "-j" and arg[2:].isascii() and arg[2:].isdigit():
                name, eq, value = "-j", "=", arg[2:]  # ``-j2``: click reads the rest of a short option as its value
            else:
                return None
        if not eq:
            following = next(args, None)
            if following is None:
                return None
            value = following
        param, kind = _VALUES[name]
        accepted, converted = _convert(kind, value)
        if not accepted:
            return None
        if kind == "multi":
            multi.setdefault(param, []).append(converted)
        else:
            params[param] = converted
    params["paths"] = tuple(paths)
    for param, values in multi.items():
        params[param] = tuple(values)
    if params["cache_dir"] is None:
        params["cache_dir"] = env.get("DSQL_LINT_CACHE_DIR") or None
    for param, (file_okay, dir_okay, writable) in _PATH_TYPES.items():
        given = params[param] if param == "paths" else () if params[param] is None else (params[param],)
        if not all(_path_ok(v, file_okay, dir_okay, writable) for v in given):
            return None
    return params


#: The files that run ``dsql-lint`` as a program: pip's console script, and ``python -m dsql_lint``.
_PROGRAMS = ("dsql-lint", "dsql-lint.exe", "dsql-lint-script.py")


def _is_program() -> bool:
    """True when this process is the ``dsql-lint`` command itself, not a program that calls into it."""
    file = getattr(sys.modules.get("__main__"), "__file__", None)
    if not isinstance(file, str):
        return False  # ``python -c``, an interactive session, a test runner's own entry...
    if os.path.basename(file) in _PROGRAMS:
        return True
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # dsql_lint/ (this is dsql_lint/cli/)
    return os.path.abspath(file) == os.path.join(package, "__main__.py")


def _exit_now(done: SystemExit) -> None:
    """End the process with the run's exit code, skipping the interpreter's teardown, when that loses nothing.

    Tearing down ~160 modules and their objects takes ~3 ms, a few percent of a small file's
    run. The ``dsql-lint`` command (never a program that calls :func:`main` and goes on) does
    not need it when standard output and error are flushed, no ``atexit`` callback is registered
    (logging, multiprocessing and ``concurrent.futures`` register theirs) and no other thread
    runs: the files a run writes (report, cache, run record) are closed before ``run_check``
    exits. In any other case (or when a flush fails) this returns, and the exit goes the usual way.
    """
    import atexit

    code = done.code
    if type(code) is not int or getattr(atexit, "_ncallbacks", lambda: 1)() or not _is_program():
        return
    if "threading" in sys.modules and sys.modules["threading"].active_count() != 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


class _QuietFlush:
    """A stream whose ``flush`` ignores a closed pipe (as click's standalone mode wraps stdout and stderr)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as e:
            import errno

            if e.errno != errno.EPIPE:
                raise

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.wrapped, attr)


#: The shell's convention for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def main(argv: list[str]) -> None:
    """Run ``argv`` as ``dsql-lint`` would, without click, and exit; return when click must run it."""
    params = parse(argv)
    if params is None:
        return
    from dsql_lint.cli.check_command import echo, run_check

    exit_code = 1
    try:
        try:
            try:
                run_check(**params)
            except SystemExit as done:
                _exit_now(done)
                raise
        except (EOFError, KeyboardInterrupt):
            from gettext import gettext

            echo("", err=True)  # the blank line closes the terminal's ``^C`` echo
            echo(gettext("Aborted!"), err=True)
            exit_code = EXIT_INTERRUPTED
        except OSError as e:
            import errno

            if e.errno != errno.EPIPE:
                raise
            sys.stdout = _QuietFlush(sys.stdout)
            sys.stderr = _QuietFlush(sys.stderr)
        sys.exit(exit_code)
    except (EOFError, KeyboardInterrupt):
        sys.exit(EXIT_INTERRUPTED)

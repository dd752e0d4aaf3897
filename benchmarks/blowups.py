"""Time and peak memory of dsql-lint on the reliability sweep's pathological inputs, at two sizes.

Usage::

    python benchmarks/blowups.py [--scale 1.0] [--workdir DIR] [--only NAME ...]
    python benchmarks/blowups.py --issue      # the sweep's own inputs, once each, at its sizes

Each input is generated at size N and 2N; each run is one ``dsql-lint check`` process
(``--no-cache --jobs 1``); its wall time and peak resident memory are printed (the child's
own ``ru_maxrss``, read with ``wait4``), and the ratio of the two sizes says whether the cost grows linearly (about 2x)
or worse. The sweep's targets: under 500 MB, and linear growth. This is a benchmark, not a
test: it asserts nothing, it reports; ``tests/test_blowups.py`` runs the cheap cases small.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def unterminated_string(n: int) -> str:
    """One string literal that never closes: ``n`` characters of it."""
    return "SELECT '" + "x" * n + "\n"


def big_insert(n: int) -> str:
    """One valid multi-row INSERT of ``n`` rows."""
    return "INSERT INTO t (a, b) VALUES " + ",".join(f"({i}, 'v{i}')" for i in range(n)) + ";\n"


def invalid_line(n: int) -> str:
    """One statement PostgreSQL rejects, ``n`` characters on one line."""
    words = " ".join(f"a{i}" for i in range(n // 7 + 1))
    return ("SELECT " + words)[:n] + " FROM;\n"


def many_statements(n: int) -> str:
    """``n`` tiny statements."""
    return "".join(f"SELECT {i};\n" for i in range(n))


def wide_statements(n: int) -> str:
    """``n`` statements of 29 characters (the sweep's 200,000 made 5.8 MB)."""
    return "".join(f"SELECT a FROM t{i % 10} WHERE a={i % 100:02};\n" for i in range(n))


def fixable_findings(n: int) -> str:
    """``n`` findings with a safe fix each (for ``--fix``)."""
    return "".join(f"CREATE INDEX i{i} ON t (a);\n" for i in range(n))


def long_noqa(n: int) -> str:
    """One ``noqa`` comment that lists ``n`` codes."""
    return "CREATE INDEX i ON t (a); -- noqa: " + ",".join(f"DSQL{i % 900 + 100}" for i in range(n)) + "\n"


#: name -> (generator, base size, extra arguments)
CASES: dict[str, tuple[Callable[[int], str], int, tuple[str, ...]]] = {
    "unterminated string (chars)": (unterminated_string, 5_000_000, ()),
    "multi-row INSERT (rows)": (big_insert, 200_000, ()),
    "invalid one-line statement (chars)": (invalid_line, 5_000_000, ()),
    "statements": (many_statements, 100_000, ()),
    "statements, json": (many_statements, 100_000, ("--format", "json")),
    "--fix (fixable findings)": (fixable_findings, 5_000, ("--fix",)),
    "noqa codes": (long_noqa, 5_000, ()),
}

#: The reliability sweep's own inputs (issue 20, item 7), each run once at the size it reported:
#: name -> (generator, size, extra arguments). The target: each under 500 MB.
ISSUE_SIZES: dict[str, tuple[Callable[[int], str], int, tuple[str, ...]]] = {
    "unterminated string, 5 MB": (unterminated_string, 5_000_000, ()),
    "unterminated string, 20 MB": (unterminated_string, 20_000_000, ()),
    "multi-row INSERT, 10.9 MB": (big_insert, 560_000, ()),
    "invalid one-line statement, 50 MB": (invalid_line, 50_000_000, ()),
    "200,000 statements": (wide_statements, 200_000, ()),
    "200,000 statements, json": (wide_statements, 200_000, ("--format", "json")),
    "200,000 statements, sarif": (wide_statements, 200_000, ("--format", "sarif")),
    "200,000 statements, --fix": (wide_statements, 200_000, ("--fix",)),
    "--fix, 20,000 fixable findings": (fixable_findings, 20_000, ("--fix",)),
    "noqa listing 10,000 codes": (long_noqa, 10_000, ()),
}


def write_input(make: Callable[[int], str], size: int, path: Path) -> None:
    """Write ``make(size)`` to ``path`` from a child process: a parent that built a big text keeps its
    memory, and a child started from it reports that in ``ru_maxrss`` (Linux keeps it across exec)."""
    subprocess.run(
        [sys.executable, __file__, "--write", make.__name__, str(size), os.fspath(path)],
        check=True,
    )


def run_once(path: Path, extra: tuple[str, ...]) -> tuple[float, float]:
    """(seconds, peak MB) of one ``dsql-lint check`` process on ``path`` (its own rusage, by wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "dsql_lint", "check", "--no-cache", "--jobs", "1", *extra, os.fspath(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped above
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        _, _, name, size, target = sys.argv
        Path(target).write_text(globals()[name](int(size)), encoding="utf-8")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--only", nargs="*", default=None, help="case names (substrings) to run")
    parser.add_argument("--issue", action="store_true", help="run the sweep's own inputs once each, at its sizes")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="dsql-lint-blowups-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.issue:
        print(f"{'input':36} {'MB':>6} {'seconds':>8} {'peak MB':>8}")
        for name, (make, size, extra) in ISSUE_SIZES.items():
            if args.only and not any(part in name for part in args.only):
                continue
            path = work / f"{make.__name__}-{size}.sql"
            write_input(make, size, path)
            seconds, peak = run_once(path, extra)
            print(f"{name:36} {path.stat().st_size / 1e6:>6.1f} {seconds:>8.2f} {peak:>8.0f}", flush=True)
            path.unlink()
        return
    print(f"{'case':32} {'size':>10} {'seconds':>8} {'peak MB':>8}   {'2N/N time':>9}")
    for name, (make, base, extra) in CASES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        results = []
        for size in (int(base * args.scale), int(2 * base * args.scale)):
            path = work / f"{make.__name__}-{size}.sql"
            write_input(make, size, path)
            seconds, peak = run_once(path, extra)
            results.append(seconds)
            print(f"{name:32} {size:>10,} {seconds:>8.2f} {peak:>8.0f}", flush=True)
        print(f"{'':32} {'':>10} {'':>8} {'':>8}   {results[1] / max(results[0], 1e-9):>8.2f}x")


if __name__ == "__main__":
    main()

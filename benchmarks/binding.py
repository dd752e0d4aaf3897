"""Does the private ctypes binding to libpg_query (``dsql_lint/frontend/pgsyntax.py``'s ``_Library``) pay?

Usage::

    python benchmarks/binding.py [--rounds 10] [--folder DIR]

Issue 18 asks to retire the binding "unless a benchmark shows it pays". The alternative is
pglast's public API: ``pglast.parser.split(text, with_parser=True, only_slices=True)`` gives the
statements' spans the joined syntax check needs (and raises ``ParseError`` with the position).
Two measurements, each run in turn with the other (A B A B ...) and reported per round:

* start-up: a fresh interpreter that loads the binding (``pgsyntax._load()``) against one that
  imports ``pglast.parser`` (which imports the ``pglast`` package: its AST and enum modules);
* throughput: PostgreSQL's raw parse of every file of the benchmark folder (``corpus.py``,
  1,000 files, 10,000 statements) through each binding, in this process.

A benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

LOAD_CTYPES = "from dsql_lint.frontend import pgsyntax; assert type(pgsyntax._load()).__name__ == '_Library'"
LOAD_PGLAST = "from pglast import parser; parser.split('SELECT 1', with_parser=True, only_slices=True)"


def _run(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def _rounds(first: object, second: object, rounds: int) -> list[tuple[float, float]]:
    return [(first(), second()) for _ in range(rounds)]  # type: ignore[operator]


def _report(name: str, pairs: list[tuple[float, float]]) -> None:
    ours = [a for a, _ in pairs]
    theirs = [b for _, b in pairs]
    ratios = [b / a for a, b in pairs]
    print(
        f"{name}: ctypes min {min(ours) * 1000:.1f} ms median {statistics.median(ours) * 1000:.1f} ms; "
        f"pglast min {min(theirs) * 1000:.1f} ms median {statistics.median(theirs) * 1000:.1f} ms; "
        f"pglast / ctypes per round: min {min(ratios):.2f}x median {statistics.median(ratios):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--folder", type=Path, help="a folder of .sql files (default: corpus.py's, generated)")
    args = parser.parse_args()

    _report("start-up", _rounds(lambda: _run(LOAD_CTYPES), lambda: _run(LOAD_PGLAST), args.rounds))

    from pglast import parser as pglast_parser

    from dsql_lint.frontend import pgsyntax

    library = pgsyntax._load()
    assert isinstance(library, pgsyntax._Library), "the ctypes binding is not available here"
    folder = args.folder or Path(tempfile.mkdtemp(prefix="dsql-lint-binding-")) / "folder"
    if args.folder is None:
        corpus.write_folder(folder)
    texts = [pgsyntax._NON_ASCII.sub("x", p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.sql"))]
    encoded = [t.encode("ascii") for t in texts]

    def ctypes_pass() -> float:
        started = time.perf_counter()
        for data in encoded:
            library.split(data)
        return time.perf_counter() - started

    def pglast_pass() -> float:
        started = time.perf_counter()
        for text in texts:
            with contextlib.suppress(pglast_parser.ParseError):  # a rejected file: its error is the answer
                pglast_parser.split(text, with_parser=True, only_slices=True)
        return time.perf_counter() - started

    _report(f"raw parse of {len(texts):,} files", _rounds(ctypes_pass, pglast_pass, args.rounds))


if __name__ == "__main__":
    main()

"""Time dsql-lint (and, when given, the AWS ``dsql-lint``) on generated migration corpora.

Usage::

    python benchmarks/bench.py [--aws-dsql-lint PATH] [--repeat 3] [--workdir DIR] [--skip-big]

Measures, end to end (process start to exit, output discarded):

* ``folder cold``: 10,000 statements in 1,000 files, empty cache;
* ``folder warm``: the same folder again, every file cached;
* ``folder warm, one file changed``: the same warm folder after a comment is appended to one
  migration (the last, as a pull request adds or edits one): not an exact repeat, so the run
  is not replayed; the per-file cache answers the other 999 files, the changed file is linted
  and the folder pass (which sees every file) runs again. Each run appends another comment;
  the file's original text is put back afterwards;
* ``small file``: one small migration (cold = ``--no-cache``, and cached);
* ``big file``: one file of 100,000 statements, empty cache.

With the AWS tool, the cold folder is also timed in rounds run in turn (dsql-lint, then AWS, on
the same machine state), and the median of the rounds' ratios is printed beside best vs best.

The AWS tool is never installed by this script: pass the path of an existing binary (for
example one installed with ``pip install dsql-lint`` into another virtual environment). It is
run on exactly the same files, and the ratios are printed. This is a benchmark, not a test:
it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

SMALL = Path(__file__).resolve().parent.parent / "examples" / "migrations" / "V1__create_accounts.sql"


def _ours() -> list[str]:
    exe = shutil.which("dsql-lint", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "dsql_lint"]


def _time(cmd: list[str], cwd: Path, before: object = None) -> tuple[float, float]:
    """Wall-clock seconds of one run, and the CPU seconds (user + system) it and its children used."""
    if callable(before):
        before()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)


def _measure(name: str, cmd: list[str], cwd: Path, repeat: int, before: object = None) -> float:
    runs = [_time(cmd, cwd, before) for _ in range(repeat)]
    walls = [w for w, _ in runs]
    best, median = min(walls), statistics.median(walls)
    cpu = min(c for _, c in runs)
    print(
        f"  {name:<34} best {best * 1000:9.1f} ms   median {median * 1000:9.1f} ms   "
        f"cpu {cpu * 1000:9.1f} ms   ({repeat} runs)"
    )
    return best


def _paired(cmd: list[str], other: list[str], cwd: Path, rounds: int, before: object = None) -> list[float]:
    """Time ``cmd`` and ``other`` alternately, ``rounds`` times; each round's ratio ``other / cmd``.

    On a shared machine the speed drifts by tens of percent within minutes: two runs made next to
    each other see the same machine, so the ratio of each pair is steadier than best against best.
    """
    ratios = []
    for _ in range(rounds):
        ours, _ = _time(cmd, cwd, before)
        theirs, _ = _time(other, cwd)
        ratios.append(theirs / ours)
    return ratios


def main() -> None:
    """Generate the corpora, run the timings, print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aws-dsql-lint", metavar="PATH", help="the AWS dsql-lint binary to compare with")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is compared)")
    parser.add_argument("--workdir", type=Path, help="where to write the corpora (default: a temporary folder)")
    parser.add_argument("--skip-big", action="store_true", help="skip the 100,000-statement file")
    parser.add_argument(
        "--preset",
        default="recommended",
        help="dsql-lint's rule preset (compat checks only what DSQL rejects, like the AWS tool)",
    )
    parser.add_argument("--jobs", type=int, help="dsql-lint's --jobs (issue 18 measures --jobs 1: no free core needed)")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="dsql-lint-bench-"))
    folder_paths = corpus.write_folder(work / "folder")
    big = corpus.write_big_file(work / "big" / "big.sql") if not args.skip_big else None
    cache = work / ".dsql-lint-cache"
    ours = _ours()
    aws = args.aws_dsql_lint
    if aws and not (os.path.isfile(aws) and os.access(aws, os.X_OK)):
        print(f"note: {aws} is not an executable file; the comparison is skipped")
        aws = None

    print(f"dsql-lint benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {os.cpu_count()} CPUs,")
    print(f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}; corpora in {work}")

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    figures: dict[str, float] = {}
    print(f"dsql-lint (this project), --preset {args.preset}{f' --jobs {args.jobs}' if args.jobs else ''}:")
    check = [*ours, "check", "--preset", args.preset, "--cache-dir", str(cache)]
    if args.jobs:
        check += ["--jobs", str(args.jobs)]
    figures["cold"] = _measure("folder cold (10k stmts, 1k files)", [*check, "folder"], work, args.repeat, clear_cache)
    _time([*check, "folder"], work)
    figures["warm"] = _measure("folder warm (all cached)", [*check, "folder"], work, args.repeat)
    changed = folder_paths[-1]
    original = changed.read_bytes()
    edits = iter(range(1, 1_000_000))

    def edit_one_file() -> None:
        with changed.open("a", encoding="utf-8") as fh:
            fh.write(f"-- benchmark edit {next(edits)}\n")

    try:
        figures["one_changed"] = _measure(
            "folder warm, one file changed", [*check, "folder"], work, args.repeat, edit_one_file
        )
    finally:
        changed.write_bytes(original)
    small_cold = [*check, "--no-cache", str(SMALL)]
    figures["small_cold"] = _measure("small file, --no-cache", small_cold, work, args.repeat * 3)
    _time([*check, str(SMALL)], work)
    figures["small_warm"] = _measure("small file, cached", [*check, str(SMALL)], work, args.repeat * 3)
    if big is not None:
        figures["big"] = _measure("big file (100k stmts), cold", [*check, "--no-cache", str(big)], work, 1)

    if aws:
        print(f"AWS dsql-lint ({aws}):")
        files = [str(p.relative_to(work)) for p in folder_paths]
        figures["aws_folder"] = _measure("folder (10k stmts, 1k files)", [aws, *files], work, args.repeat)
        paired = _paired([*check, "folder"], [aws, *files], work, args.repeat, clear_cache)
        figures["aws_small"] = _measure("small file", [aws, str(SMALL)], work, args.repeat * 3)
        if big is not None:
            figures["aws_big"] = _measure("big file (100k stmts)", [aws, str(big)], work, 1)
        print("ratios (AWS time / dsql-lint time; above 1 means dsql-lint is faster):")
        print(f"  folder cold  {figures['aws_folder'] / figures['cold']:6.2f}x   (target >= 2)")
        print(f"               {statistics.median(paired):6.2f}x   median of {len(paired)} rounds run in turn "
              f"(dsql-lint cold, then AWS), {min(paired):.2f}x to {max(paired):.2f}x")  # fmt: skip
        print(f"  folder warm  {figures['aws_folder'] / figures['warm']:6.2f}x   (target >= 20)")
        print(f"  one changed  {figures['aws_folder'] / figures['one_changed']:6.2f}x   (warm folder, one file edited)")
        print(f"  small file   {figures['aws_small'] / figures['small_cold']:6.2f}x cold, "
              f"{figures['aws_small'] / figures['small_warm']:6.2f}x cached")  # fmt: skip
        if big is not None:
            print(f"  big file     {figures['aws_big'] / figures['big']:6.2f}x")
    else:
        print("AWS dsql-lint: not given (--aws-dsql-lint PATH); comparison skipped")
    print(f"small file target (< 150 ms end to end): cold {figures['small_cold'] * 1000:.0f} ms, "
          f"cached {figures['small_warm'] * 1000:.0f} ms")  # fmt: skip
    print(f"folder warm, one file changed: {figures['one_changed'] * 1000:.0f} ms "
          "(our own goal: <= 150 ms; not one of issue 5's targets)")  # fmt: skip


if __name__ == "__main__":
    main()

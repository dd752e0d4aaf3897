"""Findings of this checkout against those of an earlier revision, on the same SQL (issue 18's parity).

Usage::

    python benchmarks/parity.py --base REV [--workdir DIR] [PATH ...]

The earlier revision is installed from ``git archive REV`` into a virtual environment of its own
(its rule plugins are registered by its own metadata, so it cannot share this one). Both run
``dsql-lint check --format json --no-cache --preset all`` on each PATH (default: tests/corpus,
../shared/corpus/pg-regress when present, and a generated benchmark folder); every finding is
keyed by file, line, column, code and message, and what only one side reports is printed. A
redesign keeps this empty except for bugs it fixes, each of which should be named in its note.
This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _install(rev: str, work: Path) -> Path:
    """A virtual environment holding dsql-lint as it was at ``rev``; its ``dsql-lint`` program."""
    snap = work / f"src-{rev}"
    venv = work / f"venv-{rev}"
    program = venv / "bin" / "dsql-lint"
    if program.exists():
        return program
    snap.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snap)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(snap)], check=True)
    return program


def _findings(program: list[str], path: Path) -> Counter[tuple[str, int, int, str, str]]:
    done = subprocess.run(
        [*program, "check", "--format", "json", "--no-cache", "--preset", "all", "--exit-zero", str(path)],
        capture_output=True,
        text=True,
    )
    payload = json.loads(done.stdout or "[]")
    rows = payload.get("diagnostics", []) if isinstance(payload, dict) else payload
    return Counter((d["path"], d["line"], d["column"], d["code"], d["message"]) for d in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--workdir", type=Path, help="where to install the base revision (default: a temporary folder)")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dsql-lint-parity-"))
    paths = list(args.paths)
    if not paths:
        paths = [ROOT / "tests" / "corpus"]
        regress = ROOT.parent / "shared" / "corpus" / "pg-regress"
        if regress.is_dir():
            paths.append(regress)
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import corpus

        folder = work / "bench-folder"
        if not folder.exists():
            corpus.write_folder(folder)
        paths.append(folder)
    base = [str(_install(args.base, work))]
    head = [sys.executable, "-m", "dsql_lint"]
    total_only_base = total_only_head = 0
    for path in paths:
        before, after = _findings(base, path), _findings(head, path)
        only_base, only_head = before - after, after - before
        total_only_base += sum(only_base.values())
        total_only_head += sum(only_head.values())
        print(f"{path}: {sum(before.values())} findings at {args.base}, {sum(after.values())} now")
        for key in sorted(only_base):
            print(f"  only at {args.base}: {key[0]}:{key[1]}:{key[2]} {key[3]} {key[4]}")
        for key in sorted(only_head):
            print(f"  only now:  {key[0]}:{key[1]}:{key[2]} {key[3]} {key[4]}")
    print(f"in all: {total_only_base} findings only at {args.base}, {total_only_head} only now")


if __name__ == "__main__":
    main()

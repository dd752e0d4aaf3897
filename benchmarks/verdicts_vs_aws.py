"""Verdicts of dsql-lint and AWS's dsql-lint on the labelled corpus (tests/corpus/), case by case.

Usage::

    python benchmarks/verdicts_vs_aws.py --aws-dsql-lint /path/to/aws/dsql-lint [--files session.sql ...]

Each case of the corpus (a ``-- expect:`` line and the statements after it) is written to a file
of its own and given to both tools, as a new user would run them (no options). A case that
expects DSQL codes other than house rules (DSQL9xx) is one DSQL rejects: a tool *catches* it when
it reports anything. A case that expects ``ok`` is one DSQL accepts: a tool *flags* it wrongly
when it reports anything. Cases that expect only house rules are left out (DSQL accepts them).
This is a measurement, not a test: it prints counts per corpus file and in all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_accuracy_corpus import load_cases  # noqa: E402


def _ours(path: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "dsql_lint", "check", "--no-cache", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    payload = json.loads(done.stdout or "{}")
    return bool(payload.get("diagnostics") if isinstance(payload, dict) else payload)


def _aws(binary: str, path: Path) -> bool:
    done = subprocess.run([binary, "--format", "json", str(path)], capture_output=True, text=True)
    try:
        payload = json.loads(done.stdout)
    except json.JSONDecodeError:
        return done.returncode != 0
    return any(f.get("diagnostics") for f in payload.get("files", []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws-dsql-lint", required=True)
    parser.add_argument("--files", nargs="*", help="corpus files to measure (default: all)")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, case in enumerate(load_cases()):
            if (args.files and case.file not in args.files) or case.preset != "compat":
                continue
            rejected = any(not code.startswith("DSQL9") for code in case.expected)
            if case.expected and not rejected:
                continue
            path = Path(tmp) / f"case{n}.sql"
            path.write_text(case.sql, encoding="utf-8")
            row = totals.setdefault(case.file, [0, 0, 0, 0, 0, 0])  # rejected, ours, aws, accepted, ours, aws
            base = 0 if rejected else 3
            row[base] += 1
            row[base + 1] += _ours(path)
            row[base + 2] += _aws(args.aws_dsql_lint, path)
    print(f"{'corpus file':28} {'DSQL rejects':>12} {'ours':>5} {'AWS':>5} {'DSQL accepts':>13} {'ours':>5} {'AWS':>5}")
    grand = [0] * 6
    for name, row in sorted(totals.items()):
        grand = [a + b for a, b in zip(grand, row, strict=True)]
        print(f"{name:28} {row[0]:>12} {row[1]:>5} {row[2]:>5} {row[3]:>13} {row[4]:>5} {row[5]:>5}")
    print(f"{'all':28} {grand[0]:>12} {grand[1]:>5} {grand[2]:>5} {grand[3]:>13} {grand[4]:>5} {grand[5]:>5}")
    print("ours/AWS under 'DSQL rejects': cases caught; under 'DSQL accepts': cases wrongly flagged")


if __name__ == "__main__":
    main()

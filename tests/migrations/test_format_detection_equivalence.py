"""Format detection gives what it gave before it was made cheaper (session 3).

- The Django marker is found without compiling its 15-way alternation: the same answer as
  the regular expression it replaced, on random text built from the pieces that matter.
- :func:`build_plan` reads a file's text only when its name does not decide the format: the
  plan (formats, roles, order) is the same as when every file's text is read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.migrations import build_plan, guess_format
from dsql_lint.migrations import plan as plan_module
from dsql_lint.migrations.files import _has_django_header, format_by_name, format_by_text
from tests.conftest import CORPUS, ROOT

#: The pattern the Django marker used to be, verbatim.
_DJANGO = re.compile(
    r"^--\n-- (Create model|Add field|Alter field|Remove field|Delete model|Rename field|"
    r"Create index|Remove index|Add constraint|Remove constraint|Raw SQL operation|"
    r"Alter unique_together|Alter index_together|Rename model|Custom state/database)\b",
    re.MULTILINE,
)

PIECES = [
    "--",
    "\n",
    "-- ",
    "--\n-- ",
    "Create model",
    "Create models",
    "Add field",
    "Alter field",
    "Remove field",
    "Delete model",
    "Rename field",
    "Create index",
    "Remove index",
    "Add constraint",
    "Remove constraint",
    "Raw SQL operation",
    "Alter unique_together",
    "Alter index_together",
    "Rename model",
    "Custom state/database",
    "Custom state",
    "Create",
    " ",
    "_",
    "x",
    "é",
    "1",
    "٣",
    "/",
    ".",
    "\r",
    "BEGIN;",
    "CREATE TABLE t (a int);",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_django_marker_matches_the_old_regular_expression(text: str) -> None:
    assert _has_django_header(text) == (_DJANGO.search(text) is not None)


@pytest.mark.parametrize(
    "text",
    [
        "--\n-- Create model Foo\n--\nCREATE TABLE",
        "--\n-- Create models\n",
        "--\n-- Create model",
        "x--\n-- Create model Foo",
        "\n--\n-- Raw SQL operation\n",
        "--\n-- Alter unique_together for x",
        "--\n-- Create model_x",
        "--\n-- Create modelé",
        "--\n--\n-- Add field x",
    ],
)
def test_django_marker_examples(text: str) -> None:
    assert _has_django_header(text) == (_DJANGO.search(text) is not None)


def test_guess_format_is_name_then_text() -> None:
    for name in ["V1__a.sql", "R__a.sql", "1_a.up.sql", "x.sql", "20200101_x.sql"]:
        for text in [
            "",
            "-- +goose Up\n",
            "-- migrate:up\n",
            "--\n-- Create model A\n",
            "-- liquibase formatted sql\n",
        ]:
            expected = format_by_name(name) or format_by_text(text)
            assert guess_format(name, text) == expected
            assert guess_format(name, text, sqitch_root=True) == "sqitch"


def _plan_rows(paths: list[str]) -> list[tuple[object, ...]]:
    plan = build_plan(paths)
    return [(f.path, f.format, f.role, f.order, f.group) for f in plan.files] + [sorted(plan.skipped_down)]


@pytest.mark.parametrize(
    "root",
    [ROOT / "tests" / "migrations" / "fixtures", ROOT / "tests" / "corpus", CORPUS],
    ids=["fixtures", "corpus", "shared"],
)
def test_plan_reads_text_only_when_the_name_does_not_decide(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not root.is_dir():
        pytest.skip(f"{root} not found")
    lazy = _plan_rows([str(root)])
    # What the plan did before: read every file's text and guess from name and text together.
    eager_guess = plan_module.guess_format
    monkeypatch.setattr(
        plan_module,
        "format_by_name",
        lambda path, sqitch_root=False, facts=None: eager_guess(path, plan_module._peek(path), sqitch_root, facts),
    )
    assert _plan_rows([str(root)]) == lazy

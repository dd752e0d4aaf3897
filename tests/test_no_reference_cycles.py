"""A linted file leaves no reference cycles behind: its statements and tokens are freed at once.

Rule views point back at their statement; kept on the statement, they made every linted file a
reference cycle that only the cyclic garbage collector could free, by walking every object of
every file linted since its last pass (about a tenth of a cold run's CPU in the workers). The
per-file step drops the views once the file is done (:func:`dsql_lint.frontend.syntax.drop_views`), and
the type memo lives with the views rather than on the column it points back at. While a file is
linted, the collector is paused: everything allocated then lives until the file is done.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import dsql_lint.run.parallel as parallel
from dsql_lint.config.settings import Settings
from dsql_lint.frontend.syntax import declared_columns, drop_views
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations import describe_single
from dsql_lint.rules.types._common import column_types, read_type
from dsql_lint.run.cache import Cache
from dsql_lint.run.lint import lint_files, make_linter
from dsql_lint.run.parallel import _lint_text
from dsql_lint.text.source import Source

# Statements PostgreSQL's grammar accepts (a statement it rejects gets a sqlglot tree, whose
# nodes point at their parents: that garbage is the collector's, as for any sqlglot user).
TEXT = """\
CREATE TABLE account (
    id SERIAL PRIMARY KEY,
    tags text[],
    name varchar(300) NOT NULL,
    balance numeric(40, 2) DEFAULT 0,
    created_at timestamp with time zone,
    kind public.account_kind
);
CREATE INDEX account_name_idx ON account (name DESC);
ALTER TABLE account ADD COLUMN note character varying(20);
INSERT INTO account (name) VALUES ('a'), ('b');
UPDATE account SET name = 'c' WHERE id = 1;
CREATE SEQUENCE s CACHE 1;
"""


def _lint_once(linter: Linter, path: str) -> int:
    source = Source(path, TEXT)
    diagnostics, _ = _lint_text(linter, source, describe_single(path, TEXT, "auto"), True)
    return len(diagnostics)


def test_linting_a_file_leaves_no_cyclic_garbage() -> None:
    linter = Linter()
    assert _lint_once(linter, "V1__a.sql") > 0  # the rules ran (and imported what they need)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        found = _lint_once(linter, "V2__b.sql")
        assert found > 0
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_views_are_computed_again_after_drop_views() -> None:
    linter = Linter()
    script, _ = linter.build(Source("V1__a.sql", TEXT))
    stmt = script.statements[0]
    columns = declared_columns(stmt)
    types = column_types(stmt)
    assert declared_columns(stmt) is columns  # kept while the statement has its views
    assert read_type(columns[1]) is types.columns[1][1]  # one reading per column
    drop_views(script.statements)
    again = declared_columns(stmt)
    assert again is not columns
    assert again == columns
    assert [ref.name if ref else None for _, ref in column_types(stmt).columns] == [
        ref.name if ref else None for _, ref in types.columns
    ]


def test_no_collector_pass_while_a_file_is_linted_and_its_state_is_restored() -> None:
    """Everything a file's linting allocates lives until the file is done: a pass then frees nothing."""
    linter = Linter()
    _lint_once(linter, "V1__a.sql")
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    thresholds = gc.get_threshold()
    was_enabled = gc.isenabled()
    gc.callbacks.append(count)
    try:
        gc.set_threshold(50)  # a pass every 50 allocations, were the collector running
        gc.enable()
        _lint_once(linter, "V2__b.sql")
        during = len(passes)
        assert gc.isenabled()  # given back as it was
        gc.disable()
        _lint_once(linter, "V3__c.sql")
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
    assert during <= 1  # at most the pass right after the file, over its results


def _gathered_folder(tmp_path: Path, files: int = 30) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for n in range(files):
        (folder / f"V{n + 1}__t{n}.sql").write_text(f"CREATE TABLE t{n} (id serial PRIMARY KEY);\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("keep", [True, False])
def test_the_command_freezes_what_it_gathers_and_the_api_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: bool
) -> None:
    """The ``dsql-lint`` command keeps every result until it exits: a collector pass over them frees nothing."""
    folder = _gathered_folder(tmp_path)
    monkeypatch.setattr(parallel, "KEEP_GATHERED", keep)
    linter = make_linter(Settings())
    try:
        for cache in (None, Cache(tmp_path / "cache", "k"), Cache(tmp_path / "cache", "k")):  # pool, then cache hits
            result = lint_files([str(folder)], linter, cache=cache, jobs=2)
            if cache is not None:
                cache.save()
            found = [d for f in result.files for d in f.diagnostics]
            assert len(found) == 30
            tracked = {id(o) for o in gc.get_objects()}  # the permanent (frozen) generation is not listed
            assert all((id(d) in tracked) is not keep for d in found)
    finally:
        gc.unfreeze()  # this test process is not the command: give its objects back to the collector

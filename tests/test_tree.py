"""PostgreSQL's parse tree for rules (dsql_lint.frontend.tree): made once per file, exact offsets, None if rejected."""

from __future__ import annotations

import pytest

from dsql_lint.frontend import pgsyntax, tree
from dsql_lint.frontend.script import build_script
from dsql_lint.text.source import Source

pytestmark = pytest.mark.skipif(not pgsyntax.available(), reason="libpg_query (pglast) is not installed")


def _script(text: str):  # type: ignore[no-untyped-def]
    return build_script(Source("t.sql", text))


def test_each_accepted_statement_has_its_tree_and_a_rejected_one_none() -> None:
    script = _script("SET statement_timeout = 0;\nSELCT 1;\nCREATE INDEX ASYNC i ON t (a DESC);\nSELECT 1")
    kinds = [s.tree.kind if s.tree else None for s in script.statements]
    assert kinds == ["VariableSetStmt", None, "IndexStmt", "SelectStmt"]
    assert script.statements[0].tree.body["name"] == "statement_timeout"  # type: ignore[union-attr]


def test_locations_map_to_the_source_characters_through_non_ascii_text_and_async() -> None:
    text = "-- é\nSELECT 'ü';\n  CREATE UNIQUE INDEX ASYNC ix ON schön (lower(é)) INCLUDE (b);\nSELECT now();\n"
    script = _script(text)
    found = []
    for stmt in script.statements:
        t = stmt.tree
        assert t is not None
        for _, body in t.nodes("FuncCall"):
            at = t.offset(body["location"])
            found.append(text[at : at + len(tree.names(body)[-1])])
    assert found == ["lower", "now"]


def test_a_file_s_trees_are_made_in_one_call_and_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = pgsyntax.parse_json

    def counting(text: str) -> str | None:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(pgsyntax, "parse_json", counting)
    script = _script("".join(f"CREATE TABLE t{n} (id uuid PRIMARY KEY);\n" for n in range(50)))
    assert calls == []
    assert script.statements[7].tree is not None and len(calls) == 1
    assert all(s.tree is not None for s in script.statements) and len(calls) == 1
    rel = [s.tree.body["relation"]["relname"] for s in script.statements]  # type: ignore[union-attr]
    assert rel == [f"t{n}" for n in range(50)]


def test_nodes_walks_every_node_depth_first_and_filters() -> None:
    (stmt,) = _script("SELECT a.b, count(*) FROM a WHERE a.c = lower('x')").statements
    t = stmt.tree
    assert t is not None
    assert [k for k, _ in t.nodes("FuncCall")] == ["FuncCall", "FuncCall"]
    assert [tree.names(b) for _, b in t.nodes("FuncCall")] == [["count"], ["lower"]]
    assert next(t.nodes())[0] == "SelectStmt"


def test_default_rules_make_no_tree_for_statements_none_of_them_asks_about(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trees cost a parse and a json.loads per file; the rules that read them gate on words first
    (an UPDATE ... SET once made DSQL616 parse every file for set_config calls)."""
    from tests.conftest import lint

    calls: list[str] = []
    real = pgsyntax.parse_json
    monkeypatch.setattr(pgsyntax, "parse_json", lambda text: calls.append(text) or real(text))
    sql = (
        "CREATE TABLE t (id uuid PRIMARY KEY, n int);\nUPDATE t SET n = 1 WHERE id = gen_random_uuid();\n"
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT 0;\nCREATE INDEX ASYNC i ON t (n);\nSET search_path = app;\n"
    )
    lint(sql, preset="compat")
    assert calls == []
    lint(sql + "SELECT pg_catalog.set_config('a', 'b', false);\n", preset="compat")
    assert len(calls) == 1

"""The SARIF, GitLab and GitHub reporters print exactly what the plain standard-library versions
printed: ``json.dump(indent=2)`` and one path lookup per finding (they now build the JSON in one
pass and work each path out once)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dsql_lint.config.settings import Settings
from dsql_lint.report import github, gitlab, sarif
from dsql_lint.run.lint import RunResult, lint_files, make_linter

SQL = "CREATE TABLE t (id serial PRIMARY KEY, a json);\nCREATE INDEX i ON t (a DESC);\nUPDATE t SET a = 'é';\n"


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunResult:
    inside = tmp_path / "work"
    (inside / "db dir").mkdir(parents=True)
    (inside / "db dir" / "V1__naïve, 50%.sql").write_text(SQL, encoding="utf-8")
    (inside / "db dir" / "V2__b.sql").write_text(SQL + "DROP TABLE t;\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x:y.sql").write_text(SQL, encoding="utf-8")
    monkeypatch.chdir(inside)
    found = lint_files(["db dir", str(outside)], make_linter(Settings(preset="all")))
    assert len({d.path for d in found.diagnostics}) == 3 and any(d.fix for d in found.diagnostics)
    return found


def _written(writer, result: RunResult) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer(result, out, False)
    return out.getvalue()


def test_sarif_is_json_dump_of_its_document(result: RunResult) -> None:
    expected = json.dumps(sarif.document(result), indent=2, ensure_ascii=False) + "\n"
    assert _written(sarif.write_sarif, result) == expected
    doc = sarif.document(result)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in doc["runs"][0]["results"]]
    assert locations == [sarif.artifact_location(d.path) for d in result.diagnostics]
    assert len({id(loc) for loc in locations}) == len(locations)  # copies, never one shared dict
    assert any(loc["uri"].startswith("file:") for loc in locations)


def test_gitlab_is_json_dump_of_the_old_issues(result: RunResult) -> None:
    issues = gitlab.issues(result)
    assert _written(gitlab.write_gitlab, result) == json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
    for d, issue in zip(result.diagnostics, issues, strict=True):
        assert issue["location"]["path"] == gitlab.report_path(d.path)
    assert [i["fingerprint"] for i in issues][:1] == [gitlab.fingerprint(result.diagnostics[0])]


def test_github_commands_are_the_old_ones(result: RunResult) -> None:
    expected = "".join(github.command(d) + "\n" for d in result.diagnostics)
    assert _written(github.write_github, result) == expected

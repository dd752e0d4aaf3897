"""Output formats: concise, SARIF (validated against the official 2.1.0 schema), GitHub, GitLab, JUnit."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.report import FORMATS, get_reporter
from dsql_lint.report.github import escape_data, escape_property
from dsql_lint.report.gitlab import issues
from dsql_lint.run.lint import FileResult, RunResult, lint_source, make_linter
from dsql_lint.text.source import Source

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BAD = "BEGIN;\nCREATE INDEX users_email ON users (email DESC);\nCOMMIT;\nCREATE TABLE t (id serial);\n"
CLEAN = "SELECT 1;\n"


def run_of(*files: tuple[str, str], preset: str = "compat") -> RunResult:
    linter = make_linter(Settings(preset=preset))
    return RunResult([lint_source(Source(path, text), linter) for path, text in files])


def render(fmt: str, result: RunResult) -> str:
    out = StringIO()
    get_reporter(fmt)(result, out, False)
    return out.getvalue()


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def test_every_cli_format_has_a_reporter() -> None:
    assert FORMATS == ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
    for fmt in FORMATS:
        assert get_reporter(fmt) is not None


def test_concise_is_one_line_per_finding() -> None:
    text = render("concise", run_of(("db/V1.sql", BAD)))
    lines = text.splitlines()
    assert lines[0] == (
        "db/V1.sql:2:8: DSQL301 [error] index `users_email` is built synchronously; "
        "DSQL only accepts CREATE INDEX ASYNC"
    )
    assert len([line for line in lines if line.startswith("db/V1.sql:")]) == 3
    assert any(line.startswith("Found 3 problems") for line in lines)


# -- SARIF ----------------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    result = run_of(("db/V1.sql", BAD), ("db/V2.sql", CLEAN))
    result.files.append(FileResult("db/missing.sql", error="does not exist"))
    document = json.loads(render("sarif", result))
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    empty = json.loads(render("sarif", run_of(("db/V2.sql", CLEAN))))
    jsonschema.validate(empty, schema, cls=jsonschema.Draft4Validator)


def test_sarif_schema_catches_a_broken_document() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(render("sarif", run_of(("db/V1.sql", BAD))))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)


def test_sarif_has_rule_metadata_help_urls_and_exact_regions() -> None:
    document = json.loads(render("sarif", run_of(("db/V1.sql", BAD))))
    run = document["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"DSQL301", "DSQL302", "DSQL101"}
    assert rules["DSQL301"]["name"] == "index-without-async"
    assert rules["DSQL301"]["helpUri"].endswith("rules/DSQL301-index-without-async.md")
    assert rules["DSQL301"]["shortDescription"]["text"]
    assert rules["DSQL301"]["defaultConfiguration"]["level"] == "error"
    first = run["results"][0]
    assert first["ruleId"] == "DSQL301"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "DSQL301"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "db/V1.sql", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 13}
    assert run["columnKind"] == "unicodeCodePoints"
    assert first["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == " ASYNC"


def test_sarif_uris_are_relative_and_encoded(in_tmp: Path) -> None:
    path = str(in_tmp / "my migrations" / "V1.sql")
    document = json.loads(render("sarif", run_of((path, BAD))))
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20migrations/V1.sql"


# -- GitHub ---------------------------------------------------------------------------------------


def test_github_prints_workflow_commands_with_positions() -> None:
    lines = render("github", run_of(("db/V1.sql", BAD))).splitlines()
    assert lines[0].startswith(
        "::error file=db/V1.sql,line=2,col=8,endLine=2,endColumn=13,title=DSQL301 index-without-async::"
        "DSQL301 index `users_email` is built synchronously"
    )
    assert len(lines) == 3
    assert all(line.startswith("::error ") for line in lines)
    assert "%0Ahelp: " in lines[0]


def test_github_warnings_and_escaping() -> None:
    result = run_of(("a,b:c.sql", "CREATE TABLE t (id bigint);\n"), preset="recommended")
    (line,) = render("github", result).splitlines()
    assert line.startswith("::warning file=a%2Cb%3Ac.sql,")
    assert escape_data("50%\nnext") == "50%25%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


# -- GitLab ---------------------------------------------------------------------------------------


def test_gitlab_code_quality_shape_and_severity() -> None:
    data = json.loads(render("gitlab", run_of(("db/V1.sql", BAD))))
    assert len(data) == 3
    first = data[0]
    assert first["check_name"] == "DSQL301 index-without-async"
    assert first["severity"] == "critical"
    assert first["location"] == {"path": "db/V1.sql", "lines": {"begin": 2, "end": 2}}
    assert len({issue["fingerprint"] for issue in data}) == 3
    warning = issues(run_of(("x.sql", "CREATE TABLE t (id bigint);\n"), preset="recommended"))
    assert warning[0]["severity"] == "minor"


def test_gitlab_fingerprints_survive_line_shifts_and_reruns() -> None:
    before = issues(run_of(("db/V1.sql", BAD)))
    again = issues(run_of(("db/V1.sql", BAD)))
    shifted = issues(run_of(("db/V1.sql", "-- a new comment\n\n" + BAD)))
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in again]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in shifted]
    assert [i["location"]["lines"]["begin"] for i in shifted] == [4, 4, 6]
    other_file = issues(run_of(("db/V2.sql", BAD)))
    assert not {i["fingerprint"] for i in before} & {i["fingerprint"] for i in other_file}


def test_gitlab_identical_findings_get_distinct_fingerprints() -> None:
    sql = "CREATE TABLE t (id serial);\nCREATE TABLE t (id serial);\n"
    found = issues(run_of(("x.sql", sql)))
    assert len(found) == 2 and found[0]["fingerprint"] != found[1]["fingerprint"]


# -- JUnit ----------------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_file_and_counts() -> None:
    result = run_of(("db/V1.sql", BAD), ("db/V2.sql", CLEAN))
    result.files.append(FileResult("db/missing.sql", error="does not exist"))
    root = ET.fromstring(render("junit", result))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["db/V1.sql", "db/V2.sql", "db/missing.sql"]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("message") == "3 findings (DSQL101, DSQL301, DSQL302)"
    assert "db/V1.sql:2:8: DSQL301" in (failure.text or "")
    assert not list(cases[1])
    assert cases[2].find("error") is not None


def _junit_whole_tree(result: RunResult) -> str:
    """The JUnit document as one ElementTree, indented and serialised at once (the writer streams it)."""
    from dsql_lint.report.junit import suites, testcase

    root, suite = suites(result)
    suite.extend(testcase(f) for f in result.files)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize("files", [0, 1, 2, 3])
def test_junit_written_a_case_at_a_time_is_the_whole_tree_serialised(files: int) -> None:
    sources = [("db/V1.sql", BAD), ("db/a<&>\"'.sql", CLEAN), ("db/V3.sql", "SELECT '\x08';\nTRUNCATE t;")][:files]
    result = run_of(*sources)
    if files:
        result.files.append(FileResult("db/missing.sql", error="does not exist <here> & \x01"))
    assert render("junit", result) == _junit_whole_tree(result)


# -- CLI: output file, statistics -----------------------------------------------------------------


def test_output_file_gets_the_report_without_colour(in_tmp: Path) -> None:
    (in_tmp / "V1.sql").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--color", "--output-file", "report.txt", "V1.sql"])
    assert result.exit_code == 1
    assert result.stdout == ""
    text = (in_tmp / "report.txt").read_text(encoding="utf-8")
    assert "DSQL301" in text and "\x1b[" not in text
    result = CliRunner().invoke(main, ["check", "--format", "sarif", "-o", "out.sarif", "V1.sql"])
    assert json.loads((in_tmp / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_statistics_counts_per_rule(in_tmp: Path) -> None:
    (in_tmp / "V1.sql").write_text(BAD + BAD.replace("users_email", "other"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--preset", "compat", "--statistics", "V1.sql"])
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[1] for r in rows] == ["DSQL101", "DSQL301", "DSQL302"]  # by count, then code
    assert rows[1][2] == "[*] index-without-async"
    assert {r[1]: r[0].strip() for r in rows} == {"DSQL101": "2", "DSQL301": "2", "DSQL302": "2"}
    data = json.loads(
        CliRunner().invoke(main, ["check", "--preset", "compat", "--statistics", "--format", "json", "V1.sql"]).stdout
    )
    assert {row["code"]: row["count"] for row in data} == {"DSQL101": 2, "DSQL301": 2, "DSQL302": 2}


def test_output_format_from_the_configuration(in_tmp: Path) -> None:
    (in_tmp / "dsql-lint.toml").write_text('output-format = "concise"\n', encoding="utf-8")
    (in_tmp / "V1.sql").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--preset", "compat", "V1.sql"])
    assert result.stdout.splitlines()[0].startswith("V1.sql:2:8: DSQL301 [error]")

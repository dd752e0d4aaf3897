"""README.md's copy-paste CI jobs: valid YAML, and their ``dsql-lint`` commands work as written.

Each job's ``dsql-lint check`` command is taken from the README, its CI variables given values,
and run by bash in a temporary git repository whose branch adds one bad migration on top of a
clean ``main`` (``origin/main`` is a local ref there): ``--diff-base`` must report only the
new file, and every report file the job uploads must be written and parse. The cache step
must keep the folder dsql-lint really uses. Needs git and PyYAML (a dependency of pre-commit,
a test dependency); skipped with the reason without them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dsql_lint.run.cache import CACHE_DIR_NAME
from tests.conftest import ROOT

GOOD = "BEGIN;\nCREATE TABLE accounts (id uuid PRIMARY KEY, name text);\nCOMMIT;\n"
BAD = "CREATE INDEX accounts_name ON accounts (name);\n"
OLD_BAD = "CREATE TRIGGER t BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION f();\n"


def _ci_blocks() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit, a test dependency")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## CI\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2, "README.md's CI section should show a GitHub Actions and a GitLab CI job"
    return [yaml.safe_load(block) for block in blocks]


def _github_job() -> dict[str, Any]:
    workflow = _ci_blocks()[0]
    job: dict[str, Any] = workflow["jobs"]["dsql-lint"]
    return job


def _gitlab_job() -> dict[str, Any]:
    job: dict[str, Any] = _ci_blocks()[1]["dsql-lint"]
    return job


def test_github_job_caches_the_folder_dsql_lint_uses() -> None:
    steps = _github_job()["steps"]
    cache = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(cache) == 1
    assert cache[0]["with"]["path"] == CACHE_DIR_NAME
    assert cache[0]["with"]["restore-keys"], "without restore keys every new commit starts cold"
    checkout = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout[0]["with"]["fetch-depth"] == 0  # --diff-base needs the history
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["if"] == "always()"


def test_gitlab_job_caches_the_folder_dsql_lint_uses() -> None:
    job = _gitlab_job()
    assert [p.rstrip("/") for p in job["cache"]["paths"]] == [CACHE_DIR_NAME]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "repo"
    migrations = folder / "db" / "migrations"
    migrations.mkdir(parents=True)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=_git_env())

    git("init", "-q", "-b", "main")
    (migrations / "V1__accounts.sql").write_text(GOOD, encoding="utf-8")
    (migrations / "V2__old_trigger.sql").write_text(OLD_BAD, encoding="utf-8")  # already on main
    git("add", ".")
    git("commit", "-q", "-m", "main")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    git("checkout", "-q", "-b", "feature")
    (migrations / "V3__index.sql").write_text(BAD, encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "feature")
    return folder


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="dsql-lint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="dsql-lint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
    )
    return env


def _run(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a job's command line as the CI runner's shell would, with this environment's dsql-lint first on PATH."""
    full = dict(_git_env())
    full["PATH"] = os.path.dirname(sys.executable) + os.pathsep + full.get("PATH", "")
    full.pop("DSQL_LINT_CACHE_DIR", None)
    full.update(env or {})
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=full, capture_output=True, text=True, timeout=120)


def _dsql_lint_commands(lines: list[str]) -> list[str]:
    found = [line for line in lines if line.startswith("dsql-lint check")]
    assert found, "the job runs no dsql-lint check"
    return found


def test_github_job_commands_run_as_written(repo: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    runs = [s["run"] for s in _github_job()["steps"] if "run" in s]
    annotate, sarif = (c.replace("${{ github.base_ref || 'main' }}", "main") for c in _dsql_lint_commands(runs))

    result = _run(annotate, repo)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines), result.stdout
    assert all("file=db/migrations/V3__index.sql," in line for line in lines), "only the new file is reported"
    assert (repo / CACHE_DIR_NAME).is_dir(), "the cache step keeps a folder dsql-lint does not write"

    result = _run(sarif, repo)
    assert result.returncode == 0, result.stderr  # --exit-zero: the upload step still runs
    log = json.loads((repo / "dsql-lint.sarif").read_text(encoding="utf-8"))
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert files == {"db/migrations/V2__old_trigger.sql", "db/migrations/V3__index.sql"}


def test_gitlab_job_commands_run_as_written(repo: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = [line for line in _gitlab_job()["script"] if not line.startswith("pip install")]
    assert any(line.startswith("git fetch") for line in script)
    (command,) = _dsql_lint_commands(script)
    result = _run(" && ".join([*[line for line in script if line != command], command]), repo,
                  {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report and {issue["location"]["path"] for issue in report} == {"db/migrations/V3__index.sql"}
    assert (repo / CACHE_DIR_NAME).is_dir()

"""The pre-commit hooks, run by the real ``pre-commit`` against a temporary git repository.

``pre-commit try-repo`` installs this repository's hook environment (a virtualenv with
dsql-lint pip-installed from the working tree, uncommitted changes included), so the test
needs git, the ``pre-commit`` package and access to the package index; it is skipped with
the reason when one of them is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BAD = "CREATE INDEX users_email ON users (email);\n"
GOOD = "BEGIN;\nCREATE INDEX ASYNC users_email ON users (email);\nCOMMIT;\n"


def test_hooks_manifest_declares_the_hooks() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit, a test dependency")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert "dsql-lint" in hooks
    check = hooks["dsql-lint"]
    assert check["entry"].split()[:2] == ["dsql-lint", "check"]
    assert "--force-exclude" in check["entry"].split()
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["sql"]
        assert hook["require_serial"] is True
    if "dsql-lint-fix" in hooks:
        assert "--fix" in hooks["dsql-lint-fix"]["entry"].split()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pytest.importorskip("pre_commit", reason="pre-commit is a test dependency (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit try-repo needs this project as a git checkout")
    home = tmp_path_factory.mktemp("precommit-home")
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(home / "cache"),
        GIT_AUTHOR_NAME="dsql-lint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="dsql-lint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        PRE_COMMIT_COLOR="never",
    )
    env.pop("PRE_COMMIT", None)
    return env


def _try_repo(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dsql-lint", "--files", *files]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def _repo_with(tmp_path: Path, name: str, sql: str) -> Path:
    repo = tmp_path / "project"
    (repo / "db").mkdir(parents=True)
    (repo / "db" / name).write_text(sql, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "migration")
    return repo


def _skip_on_install_failure(done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    if "An unexpected error has occurred" in output and ("pip" in output or "install" in output):
        pytest.skip(f"pre-commit could not install the hook environment (no package index?): {output[-600:]}")


def test_precommit_hook_fails_on_a_bad_migration_and_passes_a_clean_one(
    tmp_path: Path, precommit_env: dict[str, str]
) -> None:
    bad_repo = _repo_with(tmp_path / "bad", "V1__index.sql", BAD)
    done = _try_repo(bad_repo, precommit_env, "db/V1__index.sql")
    _skip_on_install_failure(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DSQL301" in done.stdout and "Failed" in done.stdout

    good_repo = _repo_with(tmp_path / "good", "V1__index.sql", GOOD)
    (good_repo / "dsql-lint.toml").write_text('exclude = ["legacy"]\n', encoding="utf-8")
    (good_repo / "db" / "legacy").mkdir()
    (good_repo / "db" / "legacy" / "V0__old.sql").write_text(BAD, encoding="utf-8")
    _git(good_repo, "add", ".")
    _git(good_repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "legacy")
    done = _try_repo(good_repo, precommit_env, "db/V1__index.sql", "db/legacy/V0__old.sql")
    _skip_on_install_failure(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

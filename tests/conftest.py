"""Shared fixtures: paths to the shared corpus, and a lint helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsql_lint.config.settings import Settings
from dsql_lint.model import Diagnostic
from dsql_lint.run.lint import lint_source, make_linter
from dsql_lint.text.source import Source

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def lint(sql: str, path: str = "test.sql", **settings: object) -> list[Diagnostic]:
    """Lint SQL text with the given settings (default: preset ``all``)."""
    settings.setdefault("preset", "all")
    return lint_source(Source(path, sql), make_linter(Settings(**settings))).diagnostics  # type: ignore[arg-type]


def codes(sql: str, **settings: object) -> list[str]:
    """The codes found in ``sql``, in position order."""
    return [d.code for d in lint(sql, **settings)]


@pytest.fixture
def corpus_dir() -> Path:
    """The shared corpus folder; tests using it skip when it is absent (a user's clone)."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it exists only beside the project in CI)")
    return CORPUS

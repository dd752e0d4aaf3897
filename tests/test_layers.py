"""Every module of the package sits in one layer of the import contract (pyproject.toml), so a new
module cannot escape the check by being left out of it; the contract itself runs in .ci/run."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_every_top_level_module_is_in_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    listed = [m.strip() for layer in contract["layers"] for m in layer.replace("|", ":").split(":")]
    package = ROOT / "dsql_lint"
    modules = {f"dsql_lint.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {f"dsql_lint.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert sorted(modules - set(listed)) == []
    assert len(listed) == len(set(listed)), "a module is in two layers"

"""The generated rule catalog and the lazy loading of built-in statement rules (dsql_lint.rules.catalog).

What must hold: the committed catalog is what ``python -m dsql_lint.rules.catalog`` generates now; a
stand-in carries exactly its rule's metadata; linting with stand-ins finds exactly what the
real rules find (every field of every diagnostic, every output format); a run imports only the
statement rules its statements let in; and a stale catalog or a plugin claiming a built-in code
makes the registry load every rule as before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from dsql_lint import Severity, StatementRule
from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.model import Diagnostic, Kind
from dsql_lint.rules import _catalog, registry
from dsql_lint.rules import catalog as catalog_module
from dsql_lint.rules.api import Rule
from dsql_lint.rules.catalog import DeferredRule, render, stand_ins
from dsql_lint.rules.docs import examples, page_path
from dsql_lint.rules.entrypoints import RuleEntryPoint
from dsql_lint.rules.registry import RegistryError, all_rules
from dsql_lint.text.source import Source, read_path
from tests.conftest import ROOT

BENCH_FOLDER = Path("/tmp/perfwork/folder")
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
_METADATA = ("code", "name", "severity", "summary", "help", "url", "fix_safety", "default_enabled", "tags", "words")


def _stand_ins() -> dict[str, type[Rule]]:
    found = stand_ins(registry._entry_points())
    assert found is not None, "the catalog does not match the rule sources: run python -m dsql_lint.rules.catalog"
    return found


def test_catalog_is_current() -> None:
    current = Path(catalog_module.CATALOG_FILE).read_text(encoding="utf-8")
    assert current == render(), "dsql_lint/rules/_catalog.py is stale: run python -m dsql_lint.rules.catalog"


def test_every_builtin_statement_rule_has_a_stand_in_with_its_metadata() -> None:
    deferred = _stand_ins()
    statement_rules = [r for r in all_rules() if issubclass(r, StatementRule)]
    assert sorted(deferred) == sorted(r.code for r in statement_rules)
    for real in statement_rules:
        stand_in = deferred[real.code]
        assert issubclass(stand_in, DeferredRule)
        for attr in (*_METADATA, "scope"):
            assert getattr(stand_in, attr) == getattr(real, attr), (real.code, attr)
        assert stand_in.family() == real.family()
        assert stand_in.doc_url() == real.doc_url()
        assert stand_in.is_house_rule() == real.is_house_rule()
        assert type(stand_in().load()) is real


def _fields(d: Diagnostic) -> tuple[object, ...]:
    return (d.path, d.line, d.column, d.end_line, d.end_column, d.code, d.name, d.severity, d.message)


def _full(d: Diagnostic) -> tuple[object, ...]:
    return (*_fields(d), d.help, d.url, repr(d.fix), d.start, d.end)


def _sources() -> Iterator[Source]:
    for path in sorted((ROOT / "tests" / "corpus").glob("*.sql")):
        yield read_path(path)
    for rule in all_rules():
        page = page_path(rule)
        if page is None:
            continue
        for n, example in enumerate(examples(page.read_text(encoding="utf-8"))):
            yield Source(f"{page.name}.{n}.sql", example.sql)
    if BENCH_FOLDER.is_dir():  # the benchmark corpus (benchmarks/corpus.py), when it was generated here
        for path in sorted(BENCH_FOLDER.rglob("*.sql"))[::4]:
            yield read_path(path)


def test_stand_ins_find_exactly_what_the_real_rules_find() -> None:
    deferred = _stand_ins()
    settings = Settings(preset="all")
    chosen = list(all_rules())
    eager = Linter(settings, [r() for r in chosen])
    lazy = Linter(settings, [deferred.get(r.code, r)() for r in chosen])
    assert any(isinstance(r, DeferredRule) for r in lazy.rules)
    compared = 0
    for source in _sources():
        _, want = eager.lint_source(source)
        _, got = lazy.lint_source(source)
        assert [_full(d) for d in got] == [_full(d) for d in want], source.path
        compared += len(want)
    assert compared > 1000  # the inputs do exercise the rules


_RUN_ALL_FORMATS = """
import io, json, sys, contextlib
if sys.argv[1] == "eager":
    from dsql_lint.rules.registry import all_rules
    all_rules()
import dsql_lint.rules.registry as r
from dsql_lint.cli.app import main
out = {}
for fmt in sys.argv[3:]:
    if sys.argv[1] == "lazy":
        r.all_rules.cache_clear()  # a SARIF report loads every rule for its metadata: forget them
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            main(["check", "--no-cache", "--preset", "all", "--format", fmt, sys.argv[2]])
        except SystemExit as exc:
            code = exc.code
    out[fmt] = [code, buf.getvalue()]
from dsql_lint.rules.catalog import DeferredRule
if sys.argv[1] == "lazy":
    out["deferred"] = sum(issubclass(x, DeferredRule) for x in r._lint_rules())
else:  # all_rules was loaded first: lint_rules never made stand-ins
    out["deferred"] = r._lint_rules.cache_info().currsize
print(json.dumps(out))
"""


def _cli(mode: str, target: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_ALL_FORMATS, mode, str(target), *FORMATS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_cli_output_is_identical_with_lazy_and_eager_rules_in_every_format() -> None:
    target = ROOT / "tests" / "corpus"
    eager, lazy = _cli("eager", target), _cli("lazy", target)
    assert eager.pop("deferred") == 0
    assert lazy.pop("deferred") == len(_stand_ins())
    for fmt in FORMATS:
        assert lazy[fmt] == eager[fmt], fmt


_IMPORTED = """
import json, sys
from dsql_lint.cli.app import main
try:
    main(["check", "--no-cache", sys.argv[1]])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _imported_rule_modules(path: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules = {entry[0].partition(":")[0] for entry in _catalog.RULES.values()}
    return modules & set(json.loads(done.stdout.splitlines()[-1]))


def test_a_one_statement_file_imports_only_the_statement_rules_it_lets_in(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sql"
    empty.write_text("", encoding="utf-8")
    one = tmp_path / "one.sql"
    one.write_text("CREATE INDEX ASYNC orders_by_day ON orders (created_on);\n", encoding="utf-8")
    linter = Linter(Settings(), [r() for r in all_rules() if issubclass(r, StatementRule)])
    script, _ = linter.build(read_path(one))
    statements = [s for s in script.statements if s.kind not in (Kind.PSQL_META, Kind.COPY_DATA)]
    assert [s.tag for s in statements] == ["CREATE INDEX"]
    from dsql_lint.config.settings import selected_rules

    recommended = {r.code for r in selected_rules(Settings())}
    gated_in = {
        type(r).__module__
        for r in linter.rules
        if r.code in recommended and isinstance(r, StatementRule) and r.concerns(statements[0])
    }
    baseline = _imported_rule_modules(empty)  # imported by the transaction, script and folder rules
    imported = _imported_rule_modules(one)
    assert gated_in - baseline, "the statement should let in a rule that the empty file does not load"
    assert imported == baseline | gated_in
    assert len(imported) < len({entry[0].partition(":")[0] for entry in _catalog.RULES.values()}) / 2


def test_a_stale_catalog_means_every_rule_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_catalog, "CHECKSUM", "0badf00d")
    assert stand_ins(registry._entry_points()) is None
    registry._lint_rules.cache_clear()
    try:
        rules = registry._lint_rules()
        assert rules == all_rules()
        assert not any(issubclass(r, DeferredRule) for r in rules)
    finally:
        registry._lint_rules.cache_clear()


def test_catalog_checksum_covers_the_rule_modules_and_what_they_import() -> None:
    files = set(_catalog.FILES)
    assert "rules/api.py" in files
    assert "rules/objects/_common.py" in files  # TaggedStatementRule: tags come from there
    assert "rules/types/serial_type.py" in files
    assert not any(f.startswith("rules/history/") for f in files)  # folder rules: loaded as before


class _Override(StatementRule):
    """A plugin rule that claims a built-in code."""

    code: ClassVar[str] = "DSQL301"
    name: ClassVar[str] = "acme-override"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "claims a built-in code"


class _Plugin(StatementRule):
    """A well-behaved plugin rule."""

    code: ClassVar[str] = "ACME301"
    name: ClassVar[str] = "acme-plugin"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "a plugin"


def _with_plugin(monkeypatch: pytest.MonkeyPatch, attr: str) -> None:
    points = list(registry._entry_points())
    plugin = RuleEntryPoint("ACME", f"tests.test_rule_catalog:{attr}", "acme", "1.0")
    monkeypatch.setattr(registry, "_entry_points", lambda: [*points, plugin])
    registry.all_rules.cache_clear()
    registry._lint_rules.cache_clear()


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    yield
    registry.all_rules.cache_clear()
    registry._lint_rules.cache_clear()


@pytest.mark.usefixtures("fresh_registry")
def test_a_plugin_claiming_a_builtin_code_is_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_plugin(monkeypatch, "_Override")
    with pytest.raises(RegistryError, match="DSQL301 is registered twice") as lazy_error:
        registry.lint_rules()
    registry.all_rules.cache_clear()
    with pytest.raises(RegistryError) as eager_error:
        registry.all_rules()
    assert str(lazy_error.value) == str(eager_error.value)


@pytest.mark.usefixtures("fresh_registry")
def test_plugins_load_as_before_beside_the_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_plugin(monkeypatch, "_Plugin")
    lazy = registry.lint_rules()
    assert _Plugin in lazy
    assert [r.code for r in lazy] == [r.code for r in registry.all_rules()]
    assert sum(issubclass(r, DeferredRule) for r in lazy) == len(_catalog.RULES)


def test_a_stale_catalog_is_named_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule edited without regenerating the catalog only makes runs slower: the command says so."""
    from click.testing import CliRunner

    from dsql_lint.cli.app import main

    (tmp_path / "a.sql").write_text("CREATE INDEX i ON t (a);\n", encoding="utf-8")

    def run() -> object:
        registry.all_rules.cache_clear()
        registry._lint_rules.cache_clear()
        monkeypatch.setattr(catalog_module, "STALE", [])
        return CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "a.sql")])

    try:
        monkeypatch.setattr(_catalog, "CHECKSUM", "00000000")
        stale = run()
        assert stale.exit_code == 1 and "DSQL301" in stale.stdout  # type: ignore[attr-defined]
        assert "note: dsql_lint/rules/_catalog.py does not match the rule sources" in stale.stderr  # type: ignore[attr-defined]
        monkeypatch.undo()
        fresh = run()
        assert "_catalog.py" not in fresh.stderr  # type: ignore[attr-defined]
    finally:
        registry.all_rules.cache_clear()
        registry._lint_rules.cache_clear()

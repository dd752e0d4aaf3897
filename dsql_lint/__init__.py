"""dsql-lint: a static analyzer for SQL that targets Amazon Aurora DSQL.

The Python API is two functions::

    import dsql_lint
    for d in dsql_lint.lint_sql("CREATE INDEX i ON t (a DESC);"):
        print(d.line, d.column, d.code, d.message)

    diagnostics = dsql_lint.lint_paths(["migrations/"])

``config`` may be a :class:`Settings` or a mapping with the keys of a configuration
file (``preset``, ``select``, ``extend-select``, ``ignore``, ``per-file-ignores`` ...).
"""

from __future__ import annotations

from dsql_lint.__about__ import __version__

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from dsql_lint.config.settings import Settings
    from dsql_lint.frontend.tree import Tree, names, walk
    from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Kind, Script, Severity, Statement, Transaction
    from dsql_lint.rules.api import Context, Rule, ScriptRule, StatementRule, TransactionRule

#: The API's classes, imported on first use: the ``dsql-lint`` command starts by importing this
#: package, and a repeated run (see dsql_lint.cli.fastpath) must not pay for the model and rules.
_LAZY = {
    **dict.fromkeys(
        ("Diagnostic", "Edit", "Fix", "FixSafety", "Kind", "Script", "Severity", "Statement", "Transaction"),
        "dsql_lint.model",
    ),
    **dict.fromkeys(("Context", "Rule", "ScriptRule", "StatementRule", "TransactionRule"), "dsql_lint.rules.api"),
    "Settings": "dsql_lint.config.settings",
    **dict.fromkeys(("Tree", "names", "walk"), "dsql_lint.frontend.tree"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dsql_lint' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Context",
    "Diagnostic",
    "Edit",
    "Fix",
    "FixSafety",
    "Kind",
    "Rule",
    "Script",
    "ScriptRule",
    "Settings",
    "Severity",
    "Statement",
    "StatementRule",
    "Transaction",
    "TransactionRule",
    "Tree",
    "__version__",
    "lint_paths",
    "lint_sql",
    "names",
    "walk",
]


def _settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    from dsql_lint.config.settings import Settings

    if config is None:
        return Settings()
    if isinstance(config, Settings):
        return config
    from dsql_lint.config.file import ConfigError, ConfigFile, build_settings, validate

    values = {str(key).replace("_", "-"): value for key, value in config.items()}
    mapping = ConfigFile(None, values)
    try:
        validate(mapping)  # the keys of a configuration file, checked the same way
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return build_settings(mapping)


def lint_sql(
    text: str, path: str | None = None, config: Settings | Mapping[str, Any] | None = None
) -> list[Diagnostic]:
    """Lint SQL text; ``path`` is only used to name the source in diagnostics."""
    from dsql_lint.run.lint import lint_source, make_linter
    from dsql_lint.text.source import Source

    return lint_source(Source(path or "<string>", text), make_linter(_settings(config))).diagnostics


def lint_paths(paths: Iterable[str], config: Settings | Mapping[str, Any] | None = None) -> list[Diagnostic]:
    """Lint files and directories; unreadable files raise :class:`dsql_lint.text.source.SourceError`."""
    from dsql_lint.run.lint import lint_files, make_linter
    from dsql_lint.text.source import SourceError

    result = lint_files(list(paths), make_linter(_settings(config)))
    for failed in result.file_errors:
        raise SourceError(failed.path, failed.error or "cannot be read")
    return result.diagnostics

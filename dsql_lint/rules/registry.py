"""The rule registry: a list built from the ``dsql_lint.rules`` entry points, nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from dsql_lint.rules.api import Rule, validate_rule_class
from dsql_lint.rules.entrypoints import scan

if TYPE_CHECKING:
    from collections.abc import Sequence

ENTRY_POINT_GROUP = "dsql_lint.rules"


class RegistryError(Exception):
    """A rule plugin that cannot be loaded or declares itself wrongly."""


class _EntryPoint(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> object: ...


def _entry_points() -> Sequence[_EntryPoint]:
    """The rules group: read from dist-info folders directly (fast), else via importlib.metadata."""
    found = scan()
    if found is not None:
        return found
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


def _rules_of(ep: _EntryPoint) -> list[type[Rule]]:
    try:
        target = ep.load()
    except Exception as exc:  # a broken plugin must not become a traceback
        raise RegistryError(f"rule plugin {ep.name} ({ep.value}) failed to load: {type(exc).__name__}: {exc}") from None
    candidates: Iterable[object] = target if isinstance(target, (list, tuple)) else [target]
    rules: list[type[Rule]] = []
    for candidate in candidates:
        if not (isinstance(candidate, type) and issubclass(candidate, Rule)):
            raise RegistryError(f"rule plugin {ep.name} ({ep.value}) is not a dsql_lint Rule class")
        problems = validate_rule_class(candidate, f"rule plugin {ep.name} ({ep.value})")
        if problems:
            raise RegistryError("; ".join(problems))
        rules.append(candidate)
    return rules


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every registered rule class, built-in and third-party, sorted by code."""
    by_code: dict[str, type[Rule]] = {}
    for ep in _entry_points():
        for rule in _rules_of(ep):
            other = by_code.get(rule.code)
            if other is not None and other is not rule:
                raise RegistryError(
                    f"rule code {rule.code} is registered twice: by {other.__module__}.{other.__name__} "
                    f"and by {rule.__module__}.{rule.__name__}"
                )
            by_code[rule.code] = rule
    if not by_code:
        raise RegistryError(
            "no rules are registered under the 'dsql_lint.rules' entry point group; "
            "is dsql-lint installed (pip install .)?"
        )
    return tuple(sorted(by_code.values(), key=lambda r: r.code))


def rules_by_key() -> dict[str, type[Rule]]:
    """Rules by code and by name, for selection and lookup."""
    table: dict[str, type[Rule]] = {}
    for rule in all_rules():
        table[rule.code] = rule
        table[rule.name] = rule
    return table


def find_rule(key: str) -> type[Rule] | None:
    """A rule by code (case-insensitive) or kebab name."""
    table = rules_by_key()
    return table.get(key.upper()) or table.get(key.lower())


def lint_rules() -> tuple[type[Rule], ...]:
    """:func:`all_rules` for a lint run: the built-in statement rules may be catalog stand-ins.

    A stand-in (:class:`dsql_lint.rules.catalog.DeferredRule`) carries its rule's metadata (code,
    name, severity, tags, words ...) and imports the rule's module on :meth:`load`, which the
    engine calls only when a statement passes the rule's gates. Selection, presets and
    suppressions read only metadata, so they behave as with :func:`all_rules`. Everything else
    (transaction, script and folder rules, third-party plugins) is loaded as by
    :func:`all_rules`; with a stale catalog, or a plugin registering a built-in code, this is
    :func:`all_rules`.
    """
    if all_rules.cache_info().currsize:
        return all_rules()  # everything is imported already: stand-ins would save nothing
    return _lint_rules()


@lru_cache(maxsize=1)
def _lint_rules() -> tuple[type[Rule], ...]:
    from dsql_lint.rules.catalog import stand_ins

    points = _entry_points()
    deferred = stand_ins(points)
    if not deferred:
        return all_rules()
    by_code: dict[str, type[Rule]] = {}
    for ep in points:
        stand_in = deferred.get(ep.name)
        for rule in [stand_in] if stand_in is not None else _rules_of(ep):
            if rule.code in by_code:  # registered twice: all_rules accepts it or says why not
                return all_rules()
            by_code[rule.code] = rule
    if not by_code:
        return all_rules()
    return tuple(sorted(by_code.values(), key=lambda r: r.code))

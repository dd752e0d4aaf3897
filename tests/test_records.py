"""Classes written as dataclasses without generated code (dsql_lint.records) behave as the @dataclass they replace.

Every :class:`Record` subclass of the package that writes its own ``__init__`` is found and
compared with a ``@dataclass`` made from the same fields, so a field added to a class but not
to its ``__init__`` (or given another default) fails here.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import itertools
import pickle
import pkgutil
import re
from typing import Any

import pytest

import dsql_lint
from dsql_lint.config.settings import Settings
from dsql_lint.records import NEW, FrozenRecord, Record


def _all_records() -> list[type]:
    for module in pkgutil.walk_packages(dsql_lint.__path__, "dsql_lint."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type] = []
    todo = list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("dsql_lint.") and "__init__" in cls.__dict__ and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


RECORDS = _all_records()

#: A value for a parameter without a default, where any string would not do.
REQUIRED: dict[str, Any] = {"path": "db/V1__a.sql", "text": "SELECT 1;\nSELECT 2;\n", "files": []}


def twin(cls: type) -> type:
    """The plain ``@dataclass`` with the same fields (and ``__post_init__``)."""
    specs = []
    for f in dataclasses.fields(cls):
        options: dict[str, Any] = {"repr": f.repr, "compare": f.compare, "init": f.init, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**options)))
    namespace = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    frozen = issubclass(cls, FrozenRecord)
    return dataclasses.make_dataclass(cls.__name__, specs, namespace=namespace, frozen=frozen)


def _shape(value: Any) -> Any:
    """``value`` with every object that compares by identity (a rule instance) replaced by its class."""
    if isinstance(value, (list, tuple)):
        return type(value)(_shape(v) for v in value)
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if type(value).__eq__ is object.__eq__ and not isinstance(value, type):
        return type(value)
    return value


def _repr(obj: object) -> str:
    """``repr(obj)`` under the class name, without the addresses of objects shown by identity."""
    text = repr(obj)
    return re.sub(r" at 0x[0-9a-f]+>", ">", text[text.index("(") :])


def _attributes(obj: object) -> dict[str, Any]:
    """Every field's value, and any other attribute the object holds (a record may have slots)."""
    found = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]
    return {**found, **getattr(obj, "__dict__", {})}


def _fields_of(obj: object) -> dict[str, Any]:
    return _shape(_attributes(obj))


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except pickle.PicklingError:
        return False
    return True


def test_every_record_of_the_package_is_checked() -> None:
    names = {c.__qualname__ for c in RECORDS}
    assert {"Settings", "Source", "Diagnostic", "Statement", "Edit", "MigrationFile", "ToolTransaction"} <= names
    assert all(dataclasses.is_dataclass(c) for c in RECORDS)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__.removeprefix('dsql_lint.')}.{c.__qualname__}")
def test_a_record_is_the_dataclass_it_replaces(cls: type) -> None:
    assert issubclass(cls, Record) and dataclasses.is_dataclass(cls)
    reference = twin(cls)
    ours = list(inspect.signature(cls.__init__).parameters.values())[1:]
    theirs = list(inspect.signature(reference.__init__).parameters.values())[1:]
    assert [(p.name, p.kind) for p in ours] == [(p.name, p.kind) for p in theirs]
    for mine, other in zip(ours, theirs, strict=True):
        if other.default is inspect.Parameter.empty:
            assert mine.default is inspect.Parameter.empty, mine.name
        elif type(other.default).__name__ == "_HAS_DEFAULT_FACTORY_CLASS":
            assert mine.default is NEW, mine.name
        else:
            assert mine.default == other.default, mine.name
    required = {p.name: REQUIRED.get(p.name, f"<{p.name}>") for p in ours if p.default is inspect.Parameter.empty}
    a, b = cls(**required), reference(**required)
    assert _fields_of(a) == _fields_of(b)
    assert repr(a).startswith(f"{cls.__qualname__}(") and _repr(a) == _repr(b)
    assert a == copy.copy(a) and a.__eq__(b) is NotImplemented
    try:  # a spawned worker (not Linux) gets records pickled
        pickled = pickle.dumps(a)
    except pickle.PicklingError:  # only for a field's own sake (a Linter's rule stand-ins)
        assert not all(_picklable(v) for v in _attributes(a).values())
    else:
        assert _fields_of(pickle.loads(pickled)) == _fields_of(a)
    assert (a == cls(**required)) == (b == reference(**required))
    if issubclass(cls, FrozenRecord):
        assert hash(a) == hash(b)
        for obj in (a, b):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, ours[0].name, None)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(obj, ours[0].name)
    else:
        assert cls.__hash__ is None and reference.__hash__ is None
    # Every defaulted field, given None and a value of its own (a factory default is only for "not given").
    for p, value in itertools.product(ours, (None, "<given>")):
        if p.default is inspect.Parameter.empty:
            continue
        given = {**required, p.name: value}
        try:
            b = reference(**given)
        except Exception as exc:  # the dataclass cannot take None here (Linter's settings): neither can we
            with pytest.raises(type(exc)):
                cls(**given)
            continue
        a = cls(**given)
        assert _fields_of(a) == _fields_of(b) and _repr(a) == _repr(b)
        assert (a == cls(**required)) == (b == reference(**required)), p.name
    changed = dataclasses.replace(cls(**required))
    assert _fields_of(changed) == _fields_of(cls(**required))


def test_equality_compares_the_compared_fields_only() -> None:
    from dsql_lint.model import Diagnostic, Edit, Severity

    def finding(**changes: Any) -> Diagnostic:
        values: dict[str, Any] = {
            "path": "a.sql", "line": 1, "column": 2, "end_line": 1, "end_column": 3, "code": "DSQL101",
            "name": "serial-type", "severity": Severity.ERROR, "message": "m", "help": "h", "url": "u",
        }  # fmt: skip
        return Diagnostic(**{**values, **changes})

    assert finding() == finding(source=object())  # source: compare=False
    assert finding() != finding(column=3)
    assert Edit(1, 2, "x") == Edit(1, 2, "x") and hash(Edit(1, 2, "x")) == hash((1, 2, "x"))
    assert Edit(1, 2, "x") != Edit(1, 2, "y") and len({Edit(1, 2, "x"), Edit(1, 2, "x"), Edit(0, 2, "x")}) == 2


def test_factory_defaults_are_fresh_per_instance() -> None:
    from dsql_lint.rules.api import Context

    one, two = Settings(), Settings()
    one.ignore.append("DSQL101")
    assert two.ignore == [] and Context().options is not Context().options
    assert repr(NEW) == "<factory>"

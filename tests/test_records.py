"""Classes written as dataclasses without generated code (dsql_lint.records) behave as the @dataclass they replace."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from dsql_lint.config import ConfigFile, Overrides
from dsql_lint.records import NEW, Record
from dsql_lint.rule import Context
from dsql_lint.run import FileResult, RunResult
from dsql_lint.settings import Settings
from dsql_lint.source import Source

RECORDS = [Settings, ConfigFile, Overrides, FileResult, RunResult, Source, Context]

#: A value for each parameter without a default.
REQUIRED: dict[str, Any] = {"path": "db/V1__a.sql", "text": "SELECT 1;\nSELECT 2;\n", "files": []}


def twin(cls: type) -> type:
    """The plain ``@dataclass`` with the same fields (and ``__post_init__``)."""
    specs = []
    for f in dataclasses.fields(cls):
        options: dict[str, Any] = {"repr": f.repr, "compare": f.compare, "init": f.init}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**options)))
    namespace = {"__post_init__": cls.__dict__["__post_init__"]} if "__post_init__" in cls.__dict__ else {}
    return dataclasses.make_dataclass(cls.__name__, specs, namespace=namespace)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
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
    required = {p.name: REQUIRED[p.name] for p in ours if p.default is inspect.Parameter.empty}
    a, b = cls(**required), reference(**required)
    assert vars(a) == vars(b)
    assert repr(a) == repr(b)
    assert a == cls(**required) and a.__eq__(b) is NotImplemented
    assert cls.__hash__ is None and reference.__hash__ is None
    for p in ours:  # every defaulted field, given None (a factory default is only for "not given")
        if p.default is inspect.Parameter.empty:
            continue
        given = {**required, p.name: None}
        a, b = cls(**given), reference(**given)
        assert vars(a) == vars(b) and repr(a) == repr(b)
        assert (a == cls(**required)) == (b == reference(**required)), p.name
    assert dataclasses.replace(cls(**required)) == cls(**required)


def test_factory_defaults_are_fresh_per_instance() -> None:
    one, two = Settings(), Settings()
    one.ignore.append("DSQL101")
    assert two.ignore == [] and Context().options is not Context().options
    assert repr(NEW) == "<factory>"

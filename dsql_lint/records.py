"""Dataclasses without the code generation: for the classes every ``dsql-lint`` run defines.

``@dataclass`` writes ``__init__``, ``__repr__`` and ``__eq__`` as source text and compiles
it with ``exec`` when the class is created: about half a million instructions a class, and
compiling that generated code is a quarter of a small file's whole run (~56 classes). A class
declared ``@dataclass(init=False, repr=False, eq=False)`` that inherits :class:`Record` and
writes its own ``__init__`` is still a dataclass (``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` work as before) but costs no ``exec``: :class:`Record` gives it
``__repr__`` and ``__eq__`` exactly as ``@dataclass`` writes them (and :class:`FrozenRecord`
what ``frozen=True`` adds: no assignment, a hash), and :data:`NEW` stands for a
``default_factory`` default in the hand-written ``__init__``.

``tests/test_records.py`` checks each such class against the ``@dataclass`` it replaces: the
same ``__init__`` parameters and defaults, the same repr, the same equality.
"""

from __future__ import annotations

import reprlib
from dataclasses import FrozenInstanceError, fields
from operator import attrgetter

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

#: The default of a parameter whose field has a ``default_factory``: "make a fresh one".
NEW: Any = type("_New", (), {"__repr__": lambda self: "<factory>", "__slots__": ()})()

#: Per class: the names of the fields its repr shows, and a function giving its compared fields' values as a tuple.
_SHOWN: dict[type, tuple[str, ...]] = {}
_COMPARED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_HASHED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _values_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving ``(obj.name, ...)`` for ``names``: one C call for two or more."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _compared(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    getter = _COMPARED.get(cls)
    if getter is None:
        getter = _COMPARED[cls] = _values_of(tuple(f.name for f in fields(cls) if f.compare))
    return getter


class Record:
    """``__repr__`` and ``__eq__`` of a dataclass, for ``@dataclass(init=False, repr=False, eq=False)`` subclasses."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = self.__class__
        names = _SHOWN.get(cls)
        if names is None:
            names = _SHOWN[cls] = tuple(f.name for f in fields(cls) if f.repr)  # type: ignore[arg-type]
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            values = _compared(self.__class__)
            return values(self) == values(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as @dataclass(eq=True) leaves a mutable class


class FrozenRecord(Record):
    """A :class:`Record` that is frozen as ``@dataclass(frozen=True)`` makes a class: fields cannot be
    assigned or deleted (``FrozenInstanceError``; a written ``__init__`` uses ``object.__setattr__``),
    and instances hash by their compared fields.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]  # Record's None: a mutable class has no hash
        cls = self.__class__
        values = _HASHED.get(cls)
        if values is None:
            hashed = tuple(f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash))  # type: ignore[arg-type]
            values = _HASHED[cls] = _values_of(hashed)
        return hash(values(self))

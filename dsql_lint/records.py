"""Dataclasses without the code generation: for the classes every ``dsql-lint`` run defines.

``@dataclass`` writes ``__init__``, ``__repr__`` and ``__eq__`` as source text and compiles
it with ``exec`` when the class is created: about half a million instructions a class, and
compiling that generated code is a quarter of a small file's whole run (~56 classes). A class
declared ``@dataclass(init=False, repr=False, eq=False)`` that inherits :class:`Record` and
writes its own ``__init__`` is still a dataclass (``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` work as before) but costs no ``exec``: :class:`Record` gives it
``__repr__`` and ``__eq__`` exactly as ``@dataclass`` writes them, and :data:`NEW` stands for
a ``default_factory`` default in the hand-written ``__init__``.

``tests/test_records.py`` checks each such class against the ``@dataclass`` it replaces: the
same ``__init__`` parameters and defaults, the same repr, the same equality.
"""

from __future__ import annotations

import reprlib
from dataclasses import fields

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from typing import Any

#: The default of a parameter whose field has a ``default_factory``: "make a fresh one".
NEW: Any = type("_New", (), {"__repr__": lambda self: "<factory>", "__slots__": ()})()


class Record:
    """``__repr__`` and ``__eq__`` of a dataclass, for ``@dataclass(init=False, repr=False, eq=False)`` subclasses."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{self.__class__.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = [f.name for f in fields(self) if f.compare]  # type: ignore[arg-type]
            return tuple(getattr(self, n) for n in compared) == tuple(getattr(other, n) for n in compared)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as @dataclass(eq=True) leaves a mutable class

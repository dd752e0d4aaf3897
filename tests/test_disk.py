"""``text.disk``: the unnamed spill file a run keeps values in, and the stat keys its record compares."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from dsql_lint.text import disk
from dsql_lint.text.disk import Spill


@pytest.mark.parametrize("unnamed", [True, False])
def test_values_read_back_by_place_in_any_order_and_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    if not unnamed:  # a file system without O_TMPFILE: tempfile's way (a file unlinked once made)
        real_open = os.open
        no_tmpfile = getattr(os, "O_TMPFILE", 0)

        def refusing(path: str, flags: int, *args: int) -> int:
            if no_tmpfile and flags & no_tmpfile == no_tmpfile:
                raise OSError(95, "Operation not supported")
            return real_open(path, flags, *args)

        monkeypatch.setattr(os, "open", refusing)
    rng = random.Random(3)
    values = [("f.sql", rng.randbytes(rng.randint(0, 3000)), [n, None, "x" * n]) for n in range(300)]
    spill = Spill(str(tmp_path))
    places = [spill.add(v) for v in values]
    with pytest.raises(ValueError):
        spill.add(object())  # marshal cannot store it: nothing is written
    order = list(range(len(values)))
    rng.shuffle(order)
    for i in order:
        assert spill.at(places[i]) == values[i]
    places.append(spill.add("one more, after reads"))
    assert spill.at(places[-1]) == "one more, after reads"
    assert spill.at(places[0]) == values[0]
    assert list(tmp_path.iterdir()) == []  # the file has no name
    assert list(spill.replay()) == [*values, "one more, after reads"]


def test_a_spill_in_a_folder_imports_no_tempfile_where_the_system_has_unnamed_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    if not getattr(os, "O_TMPFILE", 0):
        pytest.skip("no O_TMPFILE on this system: tempfile makes the file")
    code = (
        "import sys; from dsql_lint.text.disk import Spill; s = Spill(sys.argv[1]); "
        "print(s.at(s.add([1, 'a'])), 'tempfile' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[1,", "'a']", "False"]
    assert disk.Spill is Spill


def test_stat_keys_are_equal_for_the_same_stat_and_differ_on_any_of_its_six_numbers(tmp_path: Path) -> None:
    from types import SimpleNamespace

    path = tmp_path / "a.sql"
    path.write_text("SELECT 1;\n", encoding="utf-8")
    st = os.stat(path)
    assert disk.stat_key(st) == disk.stat_key(os.stat(path)) and len(disk.stat_key(st)) == 48
    fields = ("st_mode", "st_ino", "st_dev", "st_size", "st_mtime_ns", "st_ctime_ns")
    base = {f: getattr(st, f) for f in fields}
    keys = {disk.stat_key(SimpleNamespace(**base))}  # type: ignore[arg-type]
    for f in fields:
        keys.add(disk.stat_key(SimpleNamespace(**{**base, f: base[f] + 1})))  # type: ignore[arg-type]
    huge = disk.stat_key(SimpleNamespace(**{**base, "st_ino": 1 << 100}))  # type: ignore[arg-type]
    negative = disk.stat_key(SimpleNamespace(**{**base, "st_dev": -1}))  # type: ignore[arg-type]
    assert len(keys | {huge, negative}) == 9  # numbers that do not fit 64 bits keep their own key

"""The derived files beside the index: what is saved loads back the same, and an update copies the
pieces it did not change (never a piece of another file, nor one whose values only compare equal)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core import derived_files
from migarchive.core.derived_files import DerivedFiles, piece_count, piece_of

NAME = "records.pickle"


def payload(count: int, tag: str = "") -> dict[str, Any]:
    return {"": (1,), **{f"doc_{i:05d}.txt": (f"doc_{i:05d}.txt", i, (f"title {i}{tag}", None), (i, i + 1))
                         for i in range(count)}}


@pytest.fixture
def pickled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of items of each piece pickled (not copied) by the saves that follow."""
    sizes: list[int] = []
    real = derived_files.pickle.dump

    def dump(obj: Any, file: Any, protocol: int | None = None) -> None:
        if isinstance(obj, list):
            sizes.append(len(obj))
        real(obj, file, protocol)

    monkeypatch.setattr(derived_files.pickle, "dump", dump)
    return sizes


def test_saved_loads_back_in_key_order(tmp_path: Path) -> None:
    files = DerivedFiles(tmp_path, schema=7)
    data = payload(3000)
    files.save("k1", data, NAME)
    loaded = DerivedFiles(tmp_path, schema=7).load("k1", NAME)
    assert loaded == data and list(loaded) == sorted(data)
    assert DerivedFiles(tmp_path, schema=7).load("k2", NAME) is None  # another index state
    assert DerivedFiles(tmp_path, schema=8).load("k1", NAME) is None  # another version
    assert DerivedFiles(tmp_path, schema=7).has("k1", NAME) and not DerivedFiles(tmp_path, schema=7).has("k2", NAME)


def test_an_update_pickles_only_the_pieces_it_changed(tmp_path: Path, pickled: list[int]) -> None:
    data = payload(3000)
    DerivedFiles(tmp_path, schema=7).save("k1", data, NAME)
    files = DerivedFiles(tmp_path, schema=7)  # as the next process: loads, changes one, adds one
    loaded = files.load("k1", NAME)
    assert loaded is not None
    loaded["doc_00007.txt"] = ("edited",)
    loaded["doc_99999.txt"] = ("added",)
    del loaded["doc_00100.txt"]
    pickled.clear()
    files.save("k2", loaded, NAME)
    buckets = piece_count(len(loaded))
    # "" keeps the very same value: its piece is copied unless an edited path shares it.
    touched = {piece_of(k, buckets) for k in ("doc_00007.txt", "doc_99999.txt", "doc_00100.txt")}
    assert 1 <= len(pickled) <= len(touched)
    assert sum(pickled) < len(loaded) / 2
    assert DerivedFiles(tmp_path, schema=7).load("k2", NAME) == loaded
    pickled.clear()
    files.save("k3", loaded, NAME)  # nothing changed since: everything copied
    assert pickled == []
    assert DerivedFiles(tmp_path, schema=7).load("k3", NAME) == loaded


def test_values_equal_but_not_the_same_are_pickled_again(tmp_path: Path) -> None:
    files = DerivedFiles(tmp_path, schema=7)
    files.save("k1", {"a": (1, 0), "b": (2,)}, NAME)
    files.save("k2", {"a": (True, False), "b": (2,)}, NAME)  # == the old tuple, but not the same
    loaded = DerivedFiles(tmp_path, schema=7).load("k2", NAME)
    assert loaded is not None and loaded["a"][0] is True and loaded["a"][1] is False


def test_a_file_written_by_another_process_is_not_copied_from(tmp_path: Path) -> None:
    mine = DerivedFiles(tmp_path, schema=7)
    data = payload(1200)
    mine.save("k1", data, NAME)
    other = payload(1200, tag=" (other)")
    DerivedFiles(tmp_path, schema=7).save("k2", other, NAME)  # same sizes, other bytes
    mine.save("k3", data, NAME)  # the same objects as it saved: would copy, but the file changed
    assert DerivedFiles(tmp_path, schema=7).load("k3", NAME) == data


def test_a_damaged_file_is_not_loaded_and_saving_over_it_works(tmp_path: Path) -> None:
    files = DerivedFiles(tmp_path, schema=7)
    data = payload(2000)
    files.save("k1", data, NAME)
    raw = (tmp_path / NAME).read_bytes()
    (tmp_path / NAME).write_bytes(raw[: len(raw) // 2])
    assert DerivedFiles(tmp_path, schema=7).load("k1", NAME) is None
    files.save("k2", data, NAME)
    assert DerivedFiles(tmp_path, schema=7).load("k2", NAME) == data


def test_a_file_saved_before_pieces_by_key_still_loads(tmp_path: Path) -> None:
    # The earlier layout: a head without piece numbers, then pieces of 500 in insertion order.
    data = payload(1200)
    items = list(data.items())
    with open(tmp_path / NAME, "wb") as out:
        pickle.dump({"key": "k1", "schema": 7, "type": "dict", "count": len(items), "pieces": 3}, out)
        for start in range(0, len(items), 500):
            pickle.dump(items[start:start + 500], out)
    files = DerivedFiles(tmp_path, schema=7)
    assert files.load("k1", NAME) == data
    files.save("k2", data, NAME)
    assert DerivedFiles(tmp_path, schema=7).load("k2", NAME) == data


keys = st.text(alphabet="abcdé/._0123456789", min_size=0, max_size=12)
values = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=5),
                   st.tuples(st.integers(), st.booleans()))
steps = st.lists(st.tuples(st.sampled_from(["set", "del", "save", "reopen", "other"]), keys, values),
                 min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(initial=st.dictionaries(keys, values, max_size=60), script=steps)
def test_whatever_the_sequence_a_load_gives_what_was_last_saved(tmp_path_factory: pytest.TempPathFactory,
                                                                 initial: dict[str, Any],
                                                                 script: list[tuple[str, str, Any]]) -> None:
    root = tmp_path_factory.mktemp("derived")
    files = DerivedFiles(root, schema=1)
    current, saved, generation = dict(initial), None, 0
    for action, key, value in script:
        generation += 1
        if action == "set":
            current[key] = value
        elif action == "del":
            current.pop(key, None)
        elif action == "save":
            files.save(f"k{generation}", current, NAME)
            saved = (f"k{generation}", dict(current))
        elif action == "reopen":
            files = DerivedFiles(root, schema=1)
            if saved is not None:
                current = files.load(saved[0], NAME) or {}
                assert current == saved[1]
        else:  # another process saves something else in between
            other = {k: ("other", v) for k, v in current.items()}
            DerivedFiles(root, schema=1).save(f"o{generation}", other, NAME)
            saved = (f"o{generation}", other)
        if saved is not None:
            assert DerivedFiles(root, schema=1).load(saved[0], NAME) == saved[1]

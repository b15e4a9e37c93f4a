"""Pausing or slowing Python's cyclic collector over a block (core.collector): the settings come back
however the block ends, and garbage with cycles is still freed."""

from __future__ import annotations

import gc
import weakref

import pytest

from migarchive.core import collector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_fewer_collections_raises_the_young_threshold_and_restores_it_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collector.fewer_collections(young=before[0] * 5):
        assert gc.get_threshold() == (before[0] * 5, *before[1:])
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


def test_cycles_made_under_fewer_collections_are_still_freed() -> None:
    with collector.fewer_collections(young=2_000):
        probes = []
        for _ in range(5_000):
            node = _Node()
            probes.append(weakref.ref(node))
            del node
        for _ in range(3):  # allocations beyond the threshold: young collections ran meanwhile
            [[] for _ in range(3_000)]
        alive = sum(probe() is not None for probe in probes)
    assert alive < 2_500, alive  # most already freed without an explicit collect


def test_paused_turns_the_collector_back_on() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()

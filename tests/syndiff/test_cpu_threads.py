"""The default CPU thread count: never more threads than idle cores for the workers sharing them."""

from __future__ import annotations

import multiprocessing

import pytest

from axondeepsynth.syndiff.cpu_threads import (
    available_cpu_cores,
    default_cpu_threads,
    idle_cpu_cores,
    resolve_cpu_threads,
)


def test_default_stays_within_the_idle_cores_and_splits_among_workers() -> None:
    cores = available_cpu_cores()
    assert 1 <= idle_cpu_cores() <= cores
    assert 1 <= default_cpu_threads() <= idle_cpu_cores()
    assert default_cpu_threads(workers=2) == max(1, idle_cpu_cores() // 2)
    assert default_cpu_threads(workers=4 * cores) == 1


def test_an_explicit_count_wins_and_a_bad_one_is_named() -> None:
    assert resolve_cpu_threads(3) == 3
    assert resolve_cpu_threads(None, workers=2) == default_cpu_threads(2)
    with pytest.raises(ValueError, match="cpu_threads"):
        resolve_cpu_threads(0)


def test_a_pool_worker_uses_one_thread() -> None:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(default_cpu_threads) == 1

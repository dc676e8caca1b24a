"""How many torch CPU threads a process should use, so that concurrent processes do not oversubscribe.

torch starts one intra-op thread per core of the machine in every process. Two processes on two
cores (DDP ranks, parallel Kedro workers, a translation beside a training) then run four
spinning OpenMP threads on two cores, and each parallel region waits for a thread that is not
running: the step gets several times slower instead of sharing the cores. Other jobs on a
shared machine do the same: on 2 cores at a load average of 4-5, a tiny SynDiff step took
9-13 s with 2 threads and 1-2.3 s with 1 (benchmarks/syndiff_step.py --config tiny).

The default here is the idle cores this process may run on (its CPU affinity, capped by a
cgroup CPU quota, less the 1-minute load average, plus one for this process itself, which the
load may already count) divided by the workers sharing them (processes, or Python threads each
running torch), and one thread in a worker process whose siblings are unknown (e.g. a Kedro
ParallelRunner worker). The count can therefore differ between runs; oneDNN may then sum in
another order, so give ``cpu_threads`` explicitly where two runs must match bit for bit.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch

logger = logging.getLogger(__name__)

_CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def available_cpu_cores() -> int:
    """Cores this process may use: its affinity mask, capped by a cgroup v2 CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if _CGROUP_CPU_MAX.is_file():
        quota, _, period = _CGROUP_CPU_MAX.read_text().partition(" ")
        if quota != "max" and period.strip():
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    return max(1, cores)


def idle_cpu_cores() -> int:
    """Cores of :func:`available_cpu_cores` not taken by other runnable processes (at least 1)."""
    cores = available_cpu_cores()
    return max(1, min(cores, round(cores - os.getloadavg()[0] + 1)))


def default_cpu_threads(workers: int = 1) -> int:
    """Threads for one of ``workers`` processes (or Python threads running torch) that share
    this machine's cores.

    With ``workers == 1`` in a child process (a worker of a process pool that did not say how
    many siblings it has), one thread.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}.")
    if workers == 1 and multiprocessing.parent_process() is not None:
        return 1
    return max(1, idle_cpu_cores() // workers)


def resolve_cpu_threads(requested: int | None, workers: int = 1) -> int:
    """``requested`` (a user's ``cpu_threads``) or :func:`default_cpu_threads` when it is None."""
    if requested is not None:
        if requested < 1:
            raise ValueError(f"cpu_threads must be >= 1 or null, got {requested}.")
        return requested
    return default_cpu_threads(workers)


@contextmanager
def torch_cpu_threads(count: int) -> Iterator[None]:
    """Run the block with ``count`` torch intra-op threads, then restore the previous count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)

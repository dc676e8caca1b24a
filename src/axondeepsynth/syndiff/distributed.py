"""Data-parallel SynDiff training: process launch, device choice and gradient averaging.

Three ways to run, decided by :func:`launch`:

* under ``torchrun`` (``RANK``/``WORLD_SIZE``/``LOCAL_RANK`` set, possibly over several nodes):
  join the process group torchrun describes (NCCL on CUDA, gloo on CPU) and run in-process;
* ``devices: [0, 1, ...]`` on CUDA, or ``world_size: N`` on CPU, outside torchrun: spawn one
  process per device/rank on this machine (NCCL on CUDA, gloo on CPU);
* otherwise a single process.

The eight SynDiff networks are not wrapped in ``DistributedDataParallel``: one training step
runs several backward passes (discriminators, R1 double-backward, generators) on networks
that are also called twice per step, which DDP's hooks do not allow. Instead every rank starts
from rank 0's weights and gradients are averaged with one flat all-reduce per optimiser step,
which is the same synchronous data-parallel SGD. Only rank 0 writes checkpoints and logs.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors

logger = logging.getLogger(__name__)

TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK")


class DeviceConfigurationError(ValueError):
    """``device``/``devices``/``world_size`` ask for something this machine cannot do."""


@dataclass(frozen=True)
class DistributedContext:
    """Where this process sits in the job, and its device.

    ``rank`` is the global rank (0 writes), ``local_rank`` the index among this node's
    processes (the CUDA device index when running on GPUs), ``local_world_size`` the number of
    those processes (they share this machine's CPU cores).
    """

    device: torch.device
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    local_world_size: int = 1

    @property
    def is_main(self) -> bool:
        """True on the process that writes checkpoints, figures and metrics."""
        return self.rank == 0

    @property
    def is_distributed(self) -> bool:
        return self.world_size > 1

    def broadcast_modules(self, modules: Iterable[nn.Module]) -> None:
        """Copy rank 0's parameters and buffers to every rank (same starting point)."""
        if not self.is_distributed:
            return
        for module in modules:
            for tensor in [*module.parameters(), *module.buffers()]:
                dist.broadcast(tensor.data, src=0)

    def average_gradients(self, parameters: Iterable[torch.Tensor]) -> None:
        """Replace each gradient by its mean over ranks (one flat all-reduce).

        A parameter without a gradient on this rank contributes zeros, so every rank reduces
        the same flat buffer; it gets the averaged gradient afterwards.
        """
        if not self.is_distributed:
            return
        params = [p for p in parameters if p.requires_grad]
        for p in params:
            if p.grad is None:
                p.grad = torch.zeros_like(p)
        grads = [p.grad for p in params]
        flat = _flatten_dense_tensors(grads)
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= self.world_size
        for grad, averaged in zip(grads, _unflatten_dense_tensors(flat, grads)):
            grad.copy_(averaged)

    def mean_over_ranks(self, values: torch.Tensor) -> torch.Tensor:
        """Element-wise mean of ``values`` over ranks (``values`` itself when not distributed)."""
        if not self.is_distributed:
            return values
        averaged = values.clone()
        dist.all_reduce(averaged, op=dist.ReduceOp.SUM)
        return averaged / self.world_size

    def gather_objects(self, obj: Any) -> list[Any]:
        """``obj`` of every rank, in rank order (a one-element list when not distributed)."""
        if not self.is_distributed:
            return [obj]
        gathered: list[Any] = [None] * self.world_size
        dist.all_gather_object(gathered, obj)
        return gathered

    def from_main(self, obj: Any) -> Any:
        """Rank 0's ``obj`` on every rank (``obj`` itself when not distributed)."""
        if not self.is_distributed:
            return obj
        holder = [obj]
        dist.broadcast_object_list(holder, src=0)
        return holder[0]

    def barrier(self) -> None:
        if self.is_distributed:
            dist.barrier()


def resolve_device(device: str, devices: Sequence[int] | None) -> torch.device:
    """The torch device for ``device`` (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``).

    ``auto`` picks CUDA when available, else CPU. On CUDA, the first entry of ``devices``
    chooses the GPU of a single-process run.
    """
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    resolved = torch.device(device)
    if resolved.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceConfigurationError(
                f"syndiff_training.device is '{device}' but CUDA is not available here; use device: cpu or auto."
            )
        if resolved.index is None:
            resolved = torch.device("cuda", devices[0] if devices else 0)
    return resolved


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _backend(device: torch.device) -> str:
    return "nccl" if device.type == "cuda" else "gloo"


def _spawned_worker(
    local_rank: int, world_size: int, devices: Sequence[int] | None, base_device: str,
    fn: Callable[[DistributedContext], Any], result_path: str,
) -> None:
    """Body of one spawned process: join the group, run ``fn``, rank 0 saves its result."""
    device = torch.device("cuda", devices[local_rank]) if devices else torch.device(base_device)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group(_backend(device), rank=local_rank, world_size=world_size)
    try:
        context = DistributedContext(device=device, rank=local_rank, world_size=world_size, local_rank=local_rank,
                                     local_world_size=world_size)
        result = fn(context)
        if context.is_main:
            torch.save(result, result_path)
        context.barrier()
    finally:
        dist.destroy_process_group()


def _spawn(fn: Callable[[DistributedContext], Any], world_size: int, devices: Sequence[int] | None, device: str) -> Any:
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ["MASTER_PORT"] = str(_free_port())
    with tempfile.TemporaryDirectory(prefix="syndiff-ddp-") as scratch:
        result_path = str(Path(scratch) / "rank0_result.pt")
        logger.info("Spawning %d training processes (%s).", world_size, "NCCL" if devices else "gloo")
        mp.spawn(_spawned_worker, args=(world_size, devices, device, fn, result_path), nprocs=world_size, join=True)
        return torch.load(result_path, weights_only=False)


def _run_under_torchrun(fn: Callable[[DistributedContext], Any], device: torch.device) -> Any:
    rank, world_size, local_rank = (int(os.environ[name]) for name in TORCHRUN_VARIABLES)
    if device.type == "cuda":
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    already_joined = dist.is_initialized()
    if not already_joined:
        dist.init_process_group(_backend(device))
    try:
        local_world_size = int(os.environ.get("LOCAL_WORLD_SIZE", world_size))
        return fn(DistributedContext(device=device, rank=rank, world_size=world_size, local_rank=local_rank,
                                     local_world_size=local_world_size))
    finally:
        if not already_joined:
            dist.destroy_process_group()


def launch(
    fn: Callable[[DistributedContext], Any], device: str = "auto", devices: Sequence[int] | None = None,
    world_size: int = 1,
) -> Any:
    """Run ``fn(context)`` on every rank of the job these settings describe; return rank 0's result.

    ``fn`` and its closure must be picklable when processes are spawned (a module-level function
    or a ``functools.partial`` of one). Under torchrun every process returns its own result.
    """
    resolved = resolve_device(device, devices)
    if all(name in os.environ for name in TORCHRUN_VARIABLES) and int(os.environ["WORLD_SIZE"]) > 1:
        return _run_under_torchrun(fn, resolved)
    if resolved.type == "cuda" and devices and len(devices) > 1:
        if world_size not in (1, len(devices)):
            raise DeviceConfigurationError(
                f"syndiff_training.world_size {world_size} does not match devices {list(devices)}; "
                "on GPUs leave world_size at 1 (one process per listed device)."
            )
        return _spawn(fn, len(devices), list(devices), "cuda")
    if world_size > 1:
        if resolved.type != "cpu":
            raise DeviceConfigurationError(
                f"syndiff_training.world_size {world_size} spawns CPU (gloo) processes but device is "
                f"'{resolved}'; on GPUs list them in devices instead."
            )
        return _spawn(fn, world_size, None, "cpu")
    return fn(DistributedContext(device=resolved))

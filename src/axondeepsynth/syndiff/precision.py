"""Numeric precision and memory layout of the SynDiff networks, resolved per device.

``precision: auto`` picks bfloat16 autocast where the hardware computes it faster than float32:
CUDA GPUs with native bf16 (Ampere and later) and CPUs with AMX tile units. A CPU that only has
the AVX-512 BF16 instructions is left in float32 on purpose: there, oneDNN's bf16 convolutions
and matrix products run at about half the float32 rate (measured on a 2-core Xeon without AMX:
50-85 vs 95-166 GFLOP/s per core), so bf16 would only lose accuracy. ``channels_last: auto``
stores activations NHWC on CUDA (tensor-core convolutions want it) and wherever bf16 runs (oneDNN's
bf16 kernels work in NHWC blocks).

Only the network forwards run in bf16: weights, gradients, optimiser and EMA state stay float32,
and callers compute losses and diffusion arithmetic on ``.float()`` outputs.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import torch

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "bf16", "fp32")
CHANNELS_LAST_CHOICES = ("auto", True, False)
_CPUINFO = Path("/proc/cpuinfo")


class PrecisionError(ValueError):
    """A ``precision`` or ``channels_last`` setting is not one of the accepted values."""


def cpu_has_amx_bf16() -> bool:
    """True when this CPU exposes AMX tiles to the process (torch's probe, else /proc/cpuinfo)."""
    probe = getattr(torch.cpu, "_is_amx_tile_supported", None)
    if probe is not None:
        return bool(probe())
    return _CPUINFO.is_file() and "amx_bf16" in _CPUINFO.read_text().split()


def bf16_is_fast(device: torch.device) -> bool:
    """Whether bf16 autocast beats float32 on ``device`` (see the module docstring)."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported(including_emulation=False)
    if device.type == "cpu":
        return cpu_has_amx_bf16()
    return False


def parse_precision(value: str) -> str:
    """``value`` normalised to one of :data:`PRECISIONS`, or :class:`PrecisionError`."""
    precision = str(value).strip().lower()
    if precision not in PRECISIONS:
        raise PrecisionError(f"precision must be one of {PRECISIONS}, got {value!r}.")
    return precision


def parse_channels_last(value: str | bool) -> str | bool:
    """``value`` as ``"auto"``, True or False (YAML may give the strings), or :class:`PrecisionError`."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "auto"):
        value = {"true": True, "false": False, "auto": "auto"}[value.strip().lower()]
    if value not in CHANNELS_LAST_CHOICES:
        raise PrecisionError(f"channels_last must be auto, true or false, got {value!r}.")
    return value


@dataclass(frozen=True)
class ComputeSettings:
    """How the networks run on one device.

    Attributes:
        autocast_dtype: ``torch.bfloat16`` to run forwards under autocast, None for float32.
        channels_last: store conv weights and activations NHWC.
    """

    autocast_dtype: torch.dtype | None = None
    channels_last: bool = False

    @property
    def memory_format(self) -> torch.memory_format:
        return torch.channels_last if self.channels_last else torch.contiguous_format

    def autocast(self, device: torch.device) -> AbstractContextManager[object]:
        """The autocast region for forwards on ``device`` (a no-op in float32)."""
        if self.autocast_dtype is None:
            return nullcontext()
        return torch.autocast(device_type=device.type, dtype=self.autocast_dtype)

    def describe(self) -> str:
        """E.g. ``"bf16 autocast, channels_last"`` for logs and benchmark tables."""
        precision = "bf16 autocast" if self.autocast_dtype is torch.bfloat16 else "fp32"
        return f"{precision}, {'channels_last' if self.channels_last else 'contiguous'}"


def resolve_compute(precision: str, channels_last: str | bool, device: torch.device | str) -> ComputeSettings:
    """The :class:`ComputeSettings` for a ``precision`` (auto | bf16 | fp32) and ``channels_last``
    (auto | true | false) setting on ``device``.

    Raises:
        PrecisionError: a value outside those choices (the message names the accepted ones).
    """
    device = torch.device(device)
    precision = parse_precision(precision)
    layout = parse_channels_last(channels_last)
    fast = bf16_is_fast(device)
    use_bf16 = precision == "bf16" or (precision == "auto" and fast)
    if precision == "bf16" and not fast:
        logger.warning("precision: bf16 on %s, which has no fast bf16 units (AMX / bf16 tensor cores): "
                       "expect it to run slower than fp32.", device)
    use_channels_last = layout if isinstance(layout, bool) else (device.type == "cuda" or use_bf16)
    settings = ComputeSettings(torch.bfloat16 if use_bf16 else None, use_channels_last)
    logger.info("SynDiff on %s: %s (precision %s, channels_last %s).", device, settings.describe(),
                precision, layout)
    return settings

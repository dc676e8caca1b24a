"""BigGAN-style residual block of the NCSN++ generator, conditioned on timestep and latent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.networks.adaptive_group_norm import (
    GROUP_NORM_EPS,
    AdaptiveGroupNorm,
    group_count,
)
from axondeepsynth.syndiff.networks.fir_resampling import FirDownsample, FirUpsample
from axondeepsynth.syndiff.networks.initialisation import scaled_conv2d, scaled_linear

Resample = Literal["none", "up", "down"]
_RESAMPLERS: dict[str, type[nn.Module] | None] = {
    "none": None, "up": FirUpsample, "down": FirDownsample}


class AdaGNResidualBlock(nn.Module):
    """AdaGN -> SiLU -> [FIR resample] -> 3x3 conv (+ timestep bias) -> norm -> SiLU -> dropout
    -> 3x3 conv, added to the (resampled, 1x1-projected when needed) input.

    The second conv starts near zero, so each block starts as its shortcut. With
    `adaptive_second_norm` False the second norm is a plain GroupNorm (the reference's
    "biggan_oneadagn" variant). Spatial size is kept, doubled (`resample="up"`) or halved
    (`"down"`).
    """

    def __init__(self, in_channels: int, out_channels: int, *, temb_dim: int, zemb_dim: int,
                 resample: Resample = "none", fir_kernel: Sequence[int] = (1, 3, 3, 1),
                 dropout: float = 0.0, skip_rescale: bool = True,
                 adaptive_second_norm: bool = True) -> None:
        super().__init__()
        self.norm_0 = AdaptiveGroupNorm(in_channels, zemb_dim)
        if resample not in _RESAMPLERS:
            raise ValueError(f"resample must be one of {sorted(_RESAMPLERS)}, got {resample!r}")
        resampler_class = _RESAMPLERS[resample]
        self.resampler = resampler_class(fir_kernel) if resampler_class is not None else None
        self.conv_0 = scaled_conv2d(in_channels, out_channels, 3)
        self.temb_proj = scaled_linear(temb_dim, out_channels)
        self.norm_1: nn.Module = (AdaptiveGroupNorm(out_channels, zemb_dim) if adaptive_second_norm
                                  else nn.GroupNorm(group_count(out_channels), out_channels,
                                                    eps=GROUP_NORM_EPS))
        self.adaptive_second_norm = adaptive_second_norm
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.conv_1 = scaled_conv2d(out_channels, out_channels, 3, init_scale=0.0)
        self.shortcut = (scaled_conv2d(in_channels, out_channels, 1)
                         if in_channels != out_channels or resample != "none" else None)
        self.residual_scale = 1 / math.sqrt(2.0) if skip_rescale else 1.0

    def forward(self, x: torch.Tensor, temb_act: torch.Tensor,
                zemb: torch.Tensor) -> torch.Tensor:
        """`temb_act` is the activated timestep embedding (B, temb_dim), `zemb` (B, zemb_dim)."""
        h = F.silu(self.norm_0(x, zemb))
        if self.resampler is not None:
            h = self.resampler(h)
            x = self.resampler(x)
        h = self.conv_0(h).add_(self.temb_proj(temb_act)[:, :, None, None])
        h = self.norm_1(h, zemb) if self.adaptive_second_norm else self.norm_1(h)
        h = self.conv_1(self.dropout(F.silu(h)))
        if self.shortcut is not None:
            x = self.shortcut(x)
        return torch.add(x, h).mul_(self.residual_scale)

"""Single-head spatial self-attention of NCSN++ (every pixel attends to every pixel)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.networks.adaptive_group_norm import GROUP_NORM_EPS, group_count
from axondeepsynth.syndiff.networks.initialisation import scaled_conv2d, variance_scaling_


class SelfAttention2d(nn.Module):
    """x + out(softmax(q k^T / sqrt(C)) v), divided by sqrt(2) when `skip_rescale`.

    q, k and v come from one 1x1 convolution (3C outputs, each third initialised like the
    reference's separate projections); the output projection starts near zero so the block
    starts as the identity. Cost grows with (H * W)^2: NCSN++ places it at 16 x 16.
    """

    def __init__(self, channels: int, skip_rescale: bool = True) -> None:
        super().__init__()
        self.norm = nn.GroupNorm(group_count(channels), channels, eps=GROUP_NORM_EPS)
        self.qkv = nn.Conv2d(channels, 3 * channels, kernel_size=1)
        with torch.no_grad():
            for part in self.qkv.weight.chunk(3, dim=0):
                variance_scaling_(part, scale=0.1)
            nn.init.zeros_(self.qkv.bias)
        self.out = scaled_conv2d(channels, channels, 1, init_scale=0.0)
        self.residual_scale = 1 / math.sqrt(2.0) if skip_rescale else 1.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, channels, height, width = x.shape
        qkv = self.qkv(self.norm(x))
        tokens = qkv.permute(0, 2, 3, 1).reshape(batch, height * width, 3 * channels)
        q, k, v = tokens.chunk(3, dim=2)
        attended = F.scaled_dot_product_attention(q, k, v)
        h = attended.reshape(batch, height, width, channels).permute(0, 3, 1, 2)
        return torch.add(x, self.out(h)).mul_(self.residual_scale)

"""Group normalisation whose scale and shift come from the latent embedding (AdaGN)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.networks.initialisation import scaled_linear

GROUP_NORM_EPS = 1e-6


def group_count(channels: int) -> int:
    """Groups used by NCSN++ for `channels` features: channels // 4, at most 32, at least 1."""
    return max(1, min(channels // 4, 32))


class AdaptiveGroupNorm(nn.Module):
    """GroupNorm without its own affine, then gamma(z) * x + beta(z) per channel.

    gamma starts at 1 and beta at 0 (bias init), so at initialisation it is a plain GroupNorm.
    """

    def __init__(self, channels: int, style_dim: int) -> None:
        super().__init__()
        self.groups = group_count(channels)
        self.style = scaled_linear(style_dim, 2 * channels, mode="fan_out")
        with torch.no_grad():
            self.style.bias[:channels] = 1.0

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.style(style)[:, :, None, None].chunk(2, dim=1)
        normalised = F.group_norm(x, self.groups, eps=GROUP_NORM_EPS)
        return torch.addcmul(beta, normalised, gamma)

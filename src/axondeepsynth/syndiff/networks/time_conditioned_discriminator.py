"""The diffusive discriminator of SynDiff: is x_t a plausible denoising of x_{t+1} at step t?"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks.embeddings import TimestepEmbedding
from axondeepsynth.syndiff.networks.fir_resampling import FirDownsample
from axondeepsynth.syndiff.networks.initialisation import scaled_conv2d, scaled_linear

STDDEV_GROUP = 4


class TimeConditionedDownBlock(nn.Module):
    """LeakyReLU -> 3x3 conv (+ timestep bias) -> LeakyReLU -> FIR downsample -> 3x3 conv,
    added to the FIR-downsampled, 1x1-projected input and scaled by 1/sqrt(2)."""

    def __init__(self, in_channels: int, out_channels: int, t_emb_dim: int,
                 fir_kernel: Sequence[int]) -> None:
        super().__init__()
        self.activation = nn.LeakyReLU(0.2)
        self.conv_0 = scaled_conv2d(in_channels, out_channels, 3, mode="fan_out")
        self.temb_proj = scaled_linear(t_emb_dim, out_channels, mode="fan_out")
        self.downsample = FirDownsample(fir_kernel)
        self.conv_1 = scaled_conv2d(out_channels, out_channels, 3, init_scale=0.0, mode="fan_out")
        self.shortcut = scaled_conv2d(in_channels, out_channels, 1, bias=False, mode="fan_out")

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.conv_0(self.activation(x)) + self.temb_proj(temb)[:, :, None, None]
        h = self.conv_1(self.downsample(self.activation(h)))
        return (h + self.shortcut(self.downsample(x))) / math.sqrt(2.0)


def minibatch_stddev(features: torch.Tensor, group_size: int = STDDEV_GROUP) -> torch.Tensor:
    """Append one channel: the feature standard deviation across a group of samples.

    Lets the discriminator see sample diversity (StyleGAN2). The group is the largest divisor of
    the batch not above `group_size`, so any batch size works.
    """
    batch, channels, height, width = features.shape
    group = max(g for g in range(1, min(batch, group_size) + 1) if batch % g == 0)
    grouped = features.reshape(group, batch // group, channels, height, width)
    stddev = torch.sqrt(grouped.var(dim=0, unbiased=False) + 1e-8)
    stddev = stddev.mean(dim=(1, 2, 3)).reshape(batch // group, 1, 1, 1)
    return torch.cat([features, stddev.repeat(group, 1, height, width)], dim=1)


class TimeConditionedDiscriminator(nn.Module):
    """DDGAN's large discriminator generalised to any tile size.

    Input: x_t (B, 1, H, W) and x_{t+1} (B, 1, H, W) in [-1, 1], step t (B,) int64. A 1x1 conv
    to 2 * disc_channels, `disc_downsamples` time-conditioned FIR-downsampling residual blocks
    (widths 4, 8, 8, ... x disc_channels), minibatch stddev, a 3x3 conv, LeakyReLU, a sum over
    pixels and a linear layer give one logit per sample, (B, 1) (higher = judged real).
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        width = config.disc_channels
        self.activation = nn.LeakyReLU(0.2)
        self.time_embedding = TimestepEmbedding(config.t_emb_dim, config.t_emb_dim,
                                                nn.LeakyReLU(0.2), init_mode="fan_out")
        self.input_conv = scaled_conv2d(2, 2 * width, 1, mode="fan_out")
        channels = [2 * width] + [width * min(2 ** (i + 2), 8)
                                  for i in range(config.resolved_disc_downsamples)]
        self.blocks = nn.ModuleList(
            TimeConditionedDownBlock(c_in, c_out, config.t_emb_dim, config.fir_kernel)
            for c_in, c_out in zip(channels[:-1], channels[1:]))
        self.final_conv = scaled_conv2d(channels[-1] + 1, channels[-1], 3, mode="fan_out")
        self.logit = scaled_linear(channels[-1], 1, mode="fan_out")

    @classmethod
    def from_config(cls, config: ModelConfig) -> TimeConditionedDiscriminator:
        return cls(config)

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, x_tp1: torch.Tensor) -> torch.Tensor:
        """(B, 1, H, W), (B,), (B, 1, H, W) -> logits (B, 1)."""
        if x_t.shape != x_tp1.shape or x_t.dim() != 4 or x_t.shape[1] != 1:
            raise ValueError(f"x_t and x_tp1 must both be (B, 1, H, W), got {tuple(x_t.shape)} "
                             f"and {tuple(x_tp1.shape)}")
        if t.shape != (x_t.shape[0],):
            raise ValueError(f"t must be ({x_t.shape[0]},) step indices, got {tuple(t.shape)}")
        temb = self.activation(self.time_embedding(t))
        h = self.input_conv(torch.cat([x_t, x_tp1], dim=1))
        for block in self.blocks:
            h = block(h, temb)
        h = self.activation(self.final_conv(minibatch_stddev(h)))
        return self.logit(h.sum(dim=(2, 3)))

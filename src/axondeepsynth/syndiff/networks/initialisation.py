"""Weight initialisations of the reference SynDiff networks, so training starts where it did.

NCSN++ layers use DDPM's variance scaling over the mean of fan-in and fan-out; the `dense` and
`conv2d` helpers of the reference discriminator and latent mapping scale by fan-out only (their
"fan_avg" mode falls through to fan-out), and the CycleGAN pair draws from N(0, 0.02).
A scale of 0 means "almost zero" (1e-10), which makes residual branches start as identities.
"""

from __future__ import annotations

import math
from typing import Literal

import torch
from torch import nn

FanMode = Literal["fan_avg", "fan_out"]


@torch.no_grad()
def variance_scaling_(weight: torch.Tensor, scale: float = 1.0,
                      mode: FanMode = "fan_avg") -> torch.Tensor:
    """Fill `weight` (out, in, *kernel) in place from U(-b, b), b = sqrt(3 * scale / fan)."""
    receptive = math.prod(weight.shape[2:]) if weight.dim() > 2 else 1
    fan_in = weight.shape[1] * receptive
    fan_out = weight.shape[0] * receptive
    fan = (fan_in + fan_out) / 2 if mode == "fan_avg" else fan_out
    variance = (scale if scale != 0 else 1e-10) / max(1.0, fan)
    bound = math.sqrt(3.0 * variance)
    return weight.uniform_(-bound, bound)


def scaled_conv2d(in_channels: int, out_channels: int, kernel_size: int, *, stride: int = 1,
                  padding: int | None = None, bias: bool = True, init_scale: float = 1.0,
                  mode: FanMode = "fan_avg") -> nn.Conv2d:
    """A Conv2d with variance-scaling weights and zero bias; 'same' padding by default."""
    conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride,
                     padding=kernel_size // 2 if padding is None else padding, bias=bias)
    variance_scaling_(conv.weight, init_scale, mode)
    if bias:
        nn.init.zeros_(conv.bias)
    return conv


def scaled_linear(in_features: int, out_features: int, *, init_scale: float = 1.0,
                  mode: FanMode = "fan_avg") -> nn.Linear:
    """A Linear layer with variance-scaling weights and zero bias."""
    linear = nn.Linear(in_features, out_features)
    variance_scaling_(linear.weight, init_scale, mode)
    nn.init.zeros_(linear.bias)
    return linear


@torch.no_grad()
def normal_init_(module: nn.Module, std: float = 0.02) -> None:
    """CycleGAN initialisation: conv weights from N(0, std), biases zero."""
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(layer.weight, 0.0, std)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)

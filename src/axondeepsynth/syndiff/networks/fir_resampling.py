"""FIR (finite impulse response) 2x up- and downsampling in plain PyTorch convolutions.

StyleGAN2 and NCSN++ resample with a separable low-pass kernel (e.g. [1, 3, 3, 1]) through a
CUDA op, `upfirdn2d`. For a symmetric kernel of even length K the same result is a depthwise
convolution: downsampling filters with zero padding (K - 2) / 2 and stride 2; upsampling is a
stride-2 transposed convolution with padding K / 2 - 1 and the kernel scaled by 4 (the gain that
keeps a constant image constant away from the zero-padded border). No extension, any device,
any memory format.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.networks.initialisation import variance_scaling_


def fir_kernel_2d(taps: Sequence[int | float]) -> torch.Tensor:
    """Outer product of `taps` with itself, normalised to sum 1 (float32, K x K)."""
    kernel_1d = torch.as_tensor(taps, dtype=torch.float32)
    if kernel_1d.dim() != 1 or kernel_1d.numel() < 2 or kernel_1d.numel() % 2:
        raise ValueError(f"fir_kernel must be a 1-D list of even length >= 2, got {list(taps)}")
    if not torch.equal(kernel_1d, kernel_1d.flip(0)):
        raise ValueError(f"fir_kernel must be symmetric (e.g. [1, 3, 3, 1]), got {list(taps)}")
    kernel = torch.outer(kernel_1d, kernel_1d)
    return kernel / kernel.sum()


class _FirResampler(nn.Module):
    """Holds the normalised kernel as a non-persistent buffer (follows .to(device/dtype))."""

    def __init__(self, taps: Sequence[int | float], gain: float) -> None:
        super().__init__()
        self.register_buffer("kernel", fir_kernel_2d(taps) * gain, persistent=False)

    def depthwise_weight(self, x: torch.Tensor) -> torch.Tensor:
        size = self.kernel.shape[-1]
        return self.kernel.to(dtype=x.dtype).expand(x.shape[1], 1, size, size)


class FirDownsample(_FirResampler):
    """Low-pass filter then keep every second pixel: (B, C, H, W) -> (B, C, H//2, W//2)."""

    def __init__(self, taps: Sequence[int | float] = (1, 3, 3, 1)) -> None:
        super().__init__(taps, gain=1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pad = (self.kernel.shape[-1] - 2) // 2
        return F.conv2d(x, self.depthwise_weight(x), stride=2, padding=pad, groups=x.shape[1])


class FirUpsample(_FirResampler):
    """Zero-stuff to twice the size then low-pass filter: (B, C, H, W) -> (B, C, 2H, 2W)."""

    def __init__(self, taps: Sequence[int | float] = (1, 3, 3, 1)) -> None:
        super().__init__(taps, gain=4.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pad = self.kernel.shape[-1] // 2 - 1
        return F.conv_transpose2d(x, self.depthwise_weight(x), stride=2, padding=pad,
                                  groups=x.shape[1])


class FirDownsampleConv(nn.Module):
    """FIR blur then a stride-2 3x3 convolution (StyleGAN2's fused conv-downsample).

    Used by NCSN++'s residual input pyramid: it brings the input image to each level's
    resolution and channel count.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 taps: Sequence[int | float] = (1, 3, 3, 1)) -> None:
        super().__init__()
        self.register_buffer("kernel", fir_kernel_2d(taps), persistent=False)
        self.weight = nn.Parameter(variance_scaling_(torch.empty(out_channels, in_channels, 3, 3)))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        size = self.kernel.shape[-1]
        blur = self.kernel.to(dtype=x.dtype).expand(x.shape[1], 1, size, size)
        x = F.conv2d(x, blur, padding=size // 2, groups=x.shape[1])
        return F.conv2d(x, self.weight, self.bias, stride=2)

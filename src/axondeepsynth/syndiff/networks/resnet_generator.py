"""The non-diffusive generator of SynDiff: a CycleGAN ResNet translating one modality into the
other in a single pass; its output is the source image the diffusive generator conditions on."""

from __future__ import annotations

import torch
from torch import nn

from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks.initialisation import normal_init_

N_DOWNSAMPLING = 2


def _conv_norm_relu(conv: nn.Module, channels: int) -> list[nn.Module]:
    return [conv, nn.InstanceNorm2d(channels), nn.ReLU(inplace=True)]


class ReflectResidualBlock(nn.Module):
    """x + (reflect-pad, 3x3 conv, instance norm, ReLU, reflect-pad, 3x3 conv, instance norm)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1),
            *_conv_norm_relu(nn.Conv2d(channels, channels, 3), channels),
            nn.ReflectionPad2d(1),
            nn.Conv2d(channels, channels, 3),
            nn.InstanceNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class ResnetGenerator(nn.Module):
    """CycleGAN generator: 7x7 conv, two stride-2 downsamplings, `n_blocks` residual blocks at
    4 * ngf channels, two transposed-conv upsamplings, 7x7 conv, tanh.

    (B, 1, H, W) in [-1, 1] -> (B, 1, H, W) in (-1, 1); H and W must be multiples of 4.
    Instance norm without affine, reflection padding, weights from N(0, 0.02).
    """

    def __init__(self, ngf: int = 64, n_blocks: int = 6, in_channels: int = 1,
                 out_channels: int = 1) -> None:
        super().__init__()
        if ngf < 1 or n_blocks < 0:
            raise ValueError(f"ResnetGenerator needs ngf >= 1 and n_blocks >= 0, got ngf={ngf}, "
                             f"n_blocks={n_blocks}")
        layers: list[nn.Module] = [nn.ReflectionPad2d(3),
                                   *_conv_norm_relu(nn.Conv2d(in_channels, ngf, 7), ngf)]
        channels = ngf
        for _ in range(N_DOWNSAMPLING):
            layers += _conv_norm_relu(nn.Conv2d(channels, 2 * channels, 3, stride=2, padding=1),
                                      2 * channels)
            channels *= 2
        layers += [ReflectResidualBlock(channels) for _ in range(n_blocks)]
        for _ in range(N_DOWNSAMPLING):
            layers += _conv_norm_relu(
                nn.ConvTranspose2d(channels, channels // 2, 3, stride=2, padding=1,
                                   output_padding=1), channels // 2)
            channels //= 2
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(channels, out_channels, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)
        normal_init_(self)

    @classmethod
    def from_config(cls, config: ModelConfig) -> ResnetGenerator:
        return cls(ngf=config.ngf, n_blocks=config.n_resnet_blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 1, H, W) -> (B, 1, H, W)."""
        if x.dim() != 4 or x.shape[-1] % 4 or x.shape[-2] % 4:
            raise ValueError(f"ResnetGenerator needs (B, C, H, W) with H and W multiples of 4, "
                             f"got {tuple(x.shape)}")
        return self.model(x)

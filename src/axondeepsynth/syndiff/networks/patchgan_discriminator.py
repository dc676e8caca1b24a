"""The non-diffusive discriminator of SynDiff: a PatchGAN judging ~70x70 px patches."""

from __future__ import annotations

import torch
from torch import nn

from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks.initialisation import normal_init_


class PatchGANDiscriminator(nn.Module):
    """pix2pix/CycleGAN N-layer discriminator: 4x4 convs, `n_layers` of them with stride 2,
    widths ndf * min(2**i, 8), instance norm (not on the first), LeakyReLU(0.2).

    (B, 1, H, W) in [-1, 1] -> logits (B, 1, h, w), one per overlapping patch (h = w = 30 for
    256 px with 3 layers); higher = judged real.
    """

    def __init__(self, ndf: int = 64, n_layers: int = 3, in_channels: int = 1) -> None:
        super().__init__()
        if ndf < 1 or n_layers < 1:
            raise ValueError(f"PatchGANDiscriminator needs ndf >= 1 and n_layers >= 1, got "
                             f"ndf={ndf}, n_layers={n_layers}")
        layers: list[nn.Module] = [nn.Conv2d(in_channels, ndf, 4, stride=2, padding=1),
                                   nn.LeakyReLU(0.2, inplace=True)]
        channels = ndf
        for i in range(1, n_layers + 1):
            out = ndf * min(2**i, 8)
            layers += [nn.Conv2d(channels, out, 4, stride=2 if i < n_layers else 1, padding=1),
                       nn.InstanceNorm2d(out), nn.LeakyReLU(0.2, inplace=True)]
            channels = out
        layers.append(nn.Conv2d(channels, 1, 4, stride=1, padding=1))
        self.model = nn.Sequential(*layers)
        self.min_size = 3 * 2**n_layers
        normal_init_(self)

    @classmethod
    def from_config(cls, config: ModelConfig) -> PatchGANDiscriminator:
        return cls(ndf=config.ndf, n_layers=config.n_patchgan_layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 1, H, W) -> (B, 1, h, w) patch logits."""
        if x.dim() != 4 or min(x.shape[-2:]) < self.min_size:
            raise ValueError(f"PatchGANDiscriminator needs (B, C, H, W) with H, W >= "
                             f"{self.min_size}, got {tuple(x.shape)}")
        return self.model(x)

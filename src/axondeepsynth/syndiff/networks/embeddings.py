"""Conditioning vectors: sinusoidal timestep embeddings and the latent-z mapping network."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.networks.initialisation import FanMode, scaled_linear


def sinusoidal_embedding(timesteps: torch.Tensor, dim: int,
                         max_positions: int = 10_000) -> torch.Tensor:
    """Transformer/DDPM position code of integer diffusion steps: (B,) -> (B, dim) float.

    The first half holds sines, the second cosines, at geometrically spaced frequencies from 1
    to 1 / max_positions; an odd `dim` gets a zero last column.
    """
    if timesteps.dim() != 1:
        raise ValueError(f"timesteps must have shape (B,), got {tuple(timesteps.shape)}")
    half = dim // 2
    step = math.log(max_positions) / max(half - 1, 1)
    freqs = torch.exp(torch.arange(half, dtype=torch.float32, device=timesteps.device) * -step)
    angles = timesteps.float()[:, None] * freqs[None, :]
    embedding = torch.cat([angles.sin(), angles.cos()], dim=1)
    return F.pad(embedding, (0, dim % 2))


class TimestepEmbedding(nn.Module):
    """Sinusoidal code of the step index followed by a two-layer MLP.

    The generator uses width-`num_channels` codes, SiLU and DDPM (fan-avg) initialisation; the
    discriminator `t_emb_dim` codes, LeakyReLU(0.2) and fan-out initialisation, as in the
    reference code.
    """

    def __init__(self, embedding_dim: int, output_dim: int, activation: nn.Module,
                 init_mode: FanMode) -> None:
        super().__init__()
        self.embedding_dim = embedding_dim
        self.dense_0 = scaled_linear(embedding_dim, output_dim, mode=init_mode)
        self.activation = activation
        self.dense_1 = scaled_linear(output_dim, output_dim, mode=init_mode)

    def forward(self, timesteps: torch.Tensor) -> torch.Tensor:
        code = sinusoidal_embedding(timesteps, self.embedding_dim)
        return self.dense_1(self.activation(self.dense_0(code)))


class LatentMapping(nn.Module):
    """StyleGAN-like mapping of the latent z: pixel norm, then 1 + n_mlp SiLU linear layers.

    z (B, nz) ~ N(0, I) makes the generator's x0 prediction stochastic, so the large-step
    denoising distribution can be multimodal; the output (B, z_emb_dim) drives every
    adaptive group norm.
    """

    def __init__(self, nz: int, z_emb_dim: int, n_mlp: int) -> None:
        super().__init__()
        self.nz = nz
        layers: list[nn.Module] = [scaled_linear(nz, z_emb_dim, mode="fan_out"), nn.SiLU()]
        for _ in range(n_mlp):
            layers += [scaled_linear(z_emb_dim, z_emb_dim, mode="fan_out"), nn.SiLU()]
        self.mlp = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        z = z * torch.rsqrt(z.square().mean(dim=1, keepdim=True) + 1e-8)
        return self.mlp(z)

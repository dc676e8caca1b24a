"""SynDiff's reverse chain with one noise draw per image, shared by all of that image's tiles.

:meth:`axondeepsynth.syndiff.sampler.Translator.translate` draws noise for a whole batch from one
seed, so a tile's noise depends on its position in the batch. Whole-image translation wants more:
every tile of an image should see the *same* x_T, latent z and posterior noise (so the sampled
"style" does not change from tile to tile), and the result should not depend on how tiles were
batched. Here each distinct seed in the batch draws its noise once, for a single tile, from its
own CPU generator; the draws are then broadcast to that image's tiles. Batches can therefore mix
tiles of several images and still be reproducible tile by tile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from axondeepsynth.syndiff.sampler import Translator


@dataclass(frozen=True)
class _ChainNoise:
    """Every random draw of one reverse chain for one tile shape, stacked over images."""

    start: torch.Tensor  # x_T: (N, 1, H, W)
    latents: torch.Tensor  # z per step: (T, N, nz)
    posterior: torch.Tensor  # posterior noise per step: (T, N, 1, H, W)


def _draw(seeds: Sequence[int], steps: int, tile_shape: tuple[int, int], latent_dim: int) -> _ChainNoise:
    """Draw x_T, then (z, posterior noise) per step, from one CPU generator per seed."""
    starts, latents, posteriors = [], [], []
    for seed in seeds:
        rng = torch.Generator().manual_seed(int(seed))
        starts.append(torch.randn((1, 1, *tile_shape), generator=rng))
        latents.append(torch.randn((steps, 1, latent_dim), generator=rng))
        posteriors.append(torch.randn((steps, 1, 1, *tile_shape), generator=rng))
    return _ChainNoise(torch.cat(starts), torch.cat(latents, dim=1), torch.cat(posteriors, dim=1))


def translate_with_shared_noise(translator: Translator, tiles: torch.Tensor, seeds: Sequence[int]) -> torch.Tensor:
    """Translate (B, 1, H, W) tiles in [-1, 1]; tiles with equal seeds share every noise draw.

    The tiles and every noise draw of the chain go to the translator's device in one copy each
    before the first step (no host round trip between steps). Returns the (B, 1, H, W) float32
    translation in [-1, 1] on the translator's device.
    """
    if tiles.dim() != 4 or tiles.shape[1] != 1 or len(seeds) != tiles.shape[0]:
        raise ValueError(f"expected (B, 1, H, W) tiles and B seeds, got {tuple(tiles.shape)} and {len(seeds)} seeds.")
    schedule = translator.schedule
    device = translator.device
    unique, owner = np.unique(np.asarray(seeds, dtype=np.int64), return_inverse=True)
    noise = _draw(unique.tolist(), schedule.num_timesteps, tuple(tiles.shape[-2:]), translator.latent_dim)
    owner_index = torch.from_numpy(owner.reshape(-1)).long()
    source = tiles.to(device, dtype=torch.float32, non_blocking=True)
    x = noise.start[owner_index].to(device, non_blocking=True)
    latents = noise.latents[:, owner_index].to(device, non_blocking=True)
    posterior = noise.posterior[:, owner_index].to(device, non_blocking=True)
    with torch.inference_mode():
        for step in reversed(range(schedule.num_timesteps)):
            t = torch.full((tiles.shape[0],), step, dtype=torch.int64, device=device)
            x0 = translator.predict_x0(torch.cat([x, source], dim=1), t, latents[step])
            mean, _, log_variance = schedule.posterior_mean_variance(x0, x, t)
            x = mean if step == 0 else mean + torch.exp(0.5 * log_variance) * posterior[step]
    return x

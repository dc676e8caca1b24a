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

import numpy as np
import torch

from axondeepsynth.syndiff.diffusion import ChainNoise
from axondeepsynth.syndiff.sampler import Translator


def translate_with_shared_noise(translator: Translator, tiles: torch.Tensor, seeds: Sequence[int]) -> torch.Tensor:
    """Translate (B, 1, H, W) tiles in [-1, 1]; tiles with equal seeds share every noise draw.

    Each distinct seed draws one tile's :class:`~axondeepsynth.syndiff.diffusion.ChainNoise` from
    its own CPU generator (the draws :meth:`Translator.translate` makes for a single tile with that
    seed); the tiles and every draw go to the translator's device in one copy each before the
    first step (no host round trip between steps). Returns the (B, 1, H, W) float32 translation in
    [-1, 1] on the translator's device.
    """
    if tiles.dim() != 4 or tiles.shape[1] != 1 or len(seeds) != tiles.shape[0]:
        raise ValueError(f"expected (B, 1, H, W) tiles and B seeds, got {tuple(tiles.shape)} and {len(seeds)} seeds.")
    schedule = translator.schedule
    unique, owner = np.unique(np.asarray(seeds, dtype=np.int64), return_inverse=True)
    one_tile = torch.empty((1, 1, *tiles.shape[-2:]))
    noise = ChainNoise.concatenate([
        ChainNoise.draw(one_tile, schedule.num_timesteps, translator.latent_dim,
                        torch.Generator().manual_seed(int(seed)))
        for seed in unique.tolist()
    ]).select(torch.from_numpy(owner.reshape(-1)).long(), translator.device)
    source = tiles.to(translator.device, dtype=torch.float32, non_blocking=True)
    with torch.inference_mode():
        return schedule.reverse_chain(translator.predict_x0, source, noise)

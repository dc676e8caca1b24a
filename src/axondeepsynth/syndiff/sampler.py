"""Translate images with a trained diffusive generator: the 4-step reverse chain of SynDiff.

This is the one entry point the translation pipeline and the training validation use, so both
see exactly the same sampling: x_T ~ N(0, I), then T steps of (generator predicts x0, posterior
step back), conditioned on the source image.
"""

from __future__ import annotations

import logging

import torch
from torch import nn

from axondeepsynth.syndiff.config import DiffusionConfig
from axondeepsynth.syndiff.diffusion import DiffusionSchedule

logger = logging.getLogger(__name__)


class Translator:
    """Wraps one diffusive generator (the direction that produces the wanted modality).

    Args:
        generator: an ``NCSNppGenerator`` (its ``config.nz`` gives the latent size), typically
            from ``CheckpointStore.load_diffusive_generator``.
        diffusion_config: the schedule the generator was trained with.
        device: where to run; the generator is moved there and put in eval mode.
    """

    def __init__(self, generator: nn.Module, diffusion_config: DiffusionConfig, device: torch.device | str = "cpu") -> None:
        self.device = torch.device(device)
        self.generator = generator.to(self.device).eval()
        self.latent_dim = int(generator.config.nz)
        self.schedule = DiffusionSchedule.from_config(diffusion_config, device=self.device)

    def translate(self, batch: torch.Tensor, seed: int = 0) -> torch.Tensor:
        """Translate a (B, 1, H, W) batch in [-1, 1] of the source modality; returns the same
        shape in [-1, 1] on the batch's device.

        All randomness (x_T, the latent z of every sample and step, the posterior noise) comes
        from a CPU generator seeded with ``seed``: the same batch and seed give the same output
        on any device. H and W must suit the generator (multiples of 2**(levels - 1)).
        """
        if batch.dim() != 4 or batch.shape[1] != 1:
            raise ValueError(f"translate expects a (B, 1, H, W) batch in [-1, 1], got shape {tuple(batch.shape)}.")
        rng = torch.Generator().manual_seed(seed)
        source = batch.to(self.device, dtype=torch.float32)
        with torch.inference_mode():
            result = self.schedule.sample_from_model(self.generator, source, self.latent_dim, rng)
        return result.to(batch.device)

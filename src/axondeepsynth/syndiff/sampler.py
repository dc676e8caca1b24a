"""Translate images with a trained diffusive generator: the 4-step reverse chain of SynDiff.

This is the one entry point the translation pipeline and the training validation use, so both
see exactly the same sampling: x_T ~ N(0, I), then T steps of (generator predicts x0, posterior
step back), conditioned on the source image. The generator may run in bf16 and NHWC
(:class:`~axondeepsynth.syndiff.precision.ComputeSettings`); its x0 is taken back to float32
before the posterior step, so the chain's arithmetic is float32 either way.
"""

from __future__ import annotations

import logging

import torch
from torch import nn

from axondeepsynth.syndiff.config import DiffusionConfig
from axondeepsynth.syndiff.diffusion import DiffusionSchedule
from axondeepsynth.syndiff.precision import ComputeSettings

logger = logging.getLogger(__name__)


class Translator:
    """Wraps one diffusive generator (the direction that produces the wanted modality).

    Args:
        generator: an ``NCSNppGenerator`` (its ``config.nz`` gives the latent size), typically
            from ``CheckpointStore.load_diffusive_generator``.
        diffusion_config: the schedule the generator was trained with.
        device: where to run; the generator is moved there and put in eval mode (a caller that
            lends a training network restores its mode, see ``validation.validate``).
        compute: precision and memory layout of the generator's forwards (default float32).
    """

    def __init__(self, generator: nn.Module, diffusion_config: DiffusionConfig, device: torch.device | str = "cpu",
                 compute: ComputeSettings | None = None) -> None:
        self.device = torch.device(device)
        self.compute = compute or ComputeSettings()
        self.generator = generator.to(self.device, memory_format=self.compute.memory_format).eval()
        self.latent_dim = int(generator.config.nz)
        self.schedule = DiffusionSchedule.from_config(diffusion_config, device=self.device)

    def predict_x0(self, x_tp1_and_source: torch.Tensor, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """The generator's float32 x0 (B, 1, H, W) for cat[x_{t+1}, source] (B, 2, H, W) at step t."""
        inputs = x_tp1_and_source.contiguous(memory_format=self.compute.memory_format)
        with self.compute.autocast(self.device):
            return self.generator(inputs, t, z)[:, :1].float()

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
            result = self.schedule.sample_from_model(self.predict_x0, source, self.latent_dim, rng)
        return result.to(batch.device)

"""Validation of a SynDiff model on fixed centre crops: cycle and (when paired) direct PSNR/SSIM.

Unpaired data have no ground truth for a translation, so the model is scored by the cycle
``source -> other modality -> source`` through both diffusive generators (the translator used
downstream). Where paired renderings exist (phantoms: the same tissue in both modalities,
index-aligned), the direct translation is also compared with the truth. The crops and the
sampling seed are fixed, so numbers and figures are comparable from epoch to epoch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from torch import nn

from axondeepsynth.syndiff.config import DiffusionConfig
from axondeepsynth.syndiff.precision import ComputeSettings
from axondeepsynth.syndiff.sampler import Translator
from axondeepsynth.syndiff.training_data import centre_crops

logger = logging.getLogger(__name__)

VALIDATION_SEED = 1234
"""Seed of the validation sampling: the same noise every epoch."""


@dataclass(frozen=True)
class ValidationSet:
    """Centre crops (N, 1, tile, tile) in [-1, 1]: unpaired per contrast, and optional pairs."""

    contrast1: torch.Tensor
    contrast2: torch.Tensor
    paired: tuple[torch.Tensor, torch.Tensor] | None = None

    @classmethod
    def from_images(
        cls, images: Mapping[str, Sequence[np.ndarray]], paired: Mapping[str, Sequence[np.ndarray]] | None,
        contrasts: tuple[str, str], tile_size: int, limit: int,
    ) -> ValidationSet:
        """Crops of the first ``limit`` images of each contrast (and of each aligned pair)."""
        c1, c2 = contrasts
        pairs = None
        if paired and c1 in paired and c2 in paired:
            count = min(len(paired[c1]), len(paired[c2]), limit)
            pairs = (centre_crops(paired[c1], tile_size, count), centre_crops(paired[c2], tile_size, count))
        return cls(centre_crops(images[c1], tile_size, limit), centre_crops(images[c2], tile_size, limit), pairs)


@dataclass
class DirectionExamples:
    """Images of one direction for the figure, (N, H, W) float in [-1, 1]."""

    source: np.ndarray
    translation: np.ndarray
    cycle: np.ndarray


@dataclass
class ValidationResult:
    """Metric name -> value, and example images keyed by ``"<source>_to_<target>"``."""

    metrics: dict[str, float] = field(default_factory=dict)
    examples: dict[str, DirectionExamples] = field(default_factory=dict)


def image_similarity(reference: torch.Tensor, estimate: torch.Tensor) -> tuple[float, float]:
    """Mean PSNR (dB) and SSIM over a (N, 1, H, W) batch in [-1, 1], computed on [0, 1]."""
    ref = ((reference[:, 0].detach().cpu().numpy() + 1) / 2).astype(np.float64)
    est = ((estimate[:, 0].detach().cpu().numpy().clip(-1, 1) + 1) / 2).astype(np.float64)
    psnr = [peak_signal_noise_ratio(r, e, data_range=1.0) for r, e in zip(ref, est)]
    ssim = [structural_similarity(r, e, data_range=1.0) for r, e in zip(ref, est)]
    return float(np.mean(psnr)), float(np.mean(ssim))


def _translate_all(translator: Translator, images: torch.Tensor, batch_size: int) -> torch.Tensor:
    parts = [translator.translate(images[i : i + batch_size], seed=VALIDATION_SEED + i) for i in range(0, len(images), batch_size)]
    return torch.cat(parts)


@contextmanager
def _modes_restored(modules: Iterable[nn.Module]) -> Iterator[None]:
    """Put every module back in the train/eval mode it had on entry (the sampler sets eval)."""
    modes = [(module, [m.training for m in module.modules()]) for module in modules]
    try:
        yield
    finally:
        for module, flags in modes:
            for submodule, flag in zip(module.modules(), flags):
                submodule.training = flag


def validate(
    generators: Mapping[str, nn.Module], diffusion_config: DiffusionConfig, contrasts: tuple[str, str],
    validation_set: ValidationSet, device: torch.device | str, batch_size: int = 8,
    compute: ComputeSettings | None = None,
) -> ValidationResult:
    """Score the diffusive generators (pass the EMA copies) on ``validation_set``.

    Metric keys: ``val_cycle_psnr_<c>`` / ``val_cycle_ssim_<c>`` for each contrast c, and with
    pairs ``val_psnr_<target>_from_<source>`` / ``val_ssim_<target>_from_<source>``. The
    generators run in eval mode with ``compute`` (default float32) and get their own mode back
    afterwards: without EMA they are the live networks training continues with.
    """
    diffusive = [generators[f"gen_diffusive_{i}"] for i in (1, 2)]
    with _modes_restored(diffusive):
        return _validate(diffusive, diffusion_config, contrasts, validation_set, device, batch_size, compute)


def _validate(
    diffusive: Sequence[nn.Module], diffusion_config: DiffusionConfig, contrasts: tuple[str, str],
    validation_set: ValidationSet, device: torch.device | str, batch_size: int, compute: ComputeSettings | None,
) -> ValidationResult:
    translators = {contrast: Translator(generator, diffusion_config, device, compute)
                   for contrast, generator in zip(contrasts, diffusive)}
    result = ValidationResult()
    crops = {contrasts[0]: validation_set.contrast1, contrasts[1]: validation_set.contrast2}
    for source, target in (contrasts, contrasts[::-1]):
        translation = _translate_all(translators[target], crops[source], batch_size)
        cycle = _translate_all(translators[source], translation, batch_size)
        psnr, ssim = image_similarity(crops[source], cycle)
        result.metrics[f"val_cycle_psnr_{source}"] = psnr
        result.metrics[f"val_cycle_ssim_{source}"] = ssim
        result.examples[f"{source}_to_{target}"] = DirectionExamples(
            crops[source][:, 0].numpy(), translation[:, 0].cpu().numpy(), cycle[:, 0].cpu().numpy()
        )
    if validation_set.paired is not None:
        pairs = dict(zip(contrasts, validation_set.paired))
        for source, target in (contrasts, contrasts[::-1]):
            translation = _translate_all(translators[target], pairs[source], batch_size)
            psnr, ssim = image_similarity(pairs[target], translation)
            result.metrics[f"val_psnr_{target}_from_{source}"] = psnr
            result.metrics[f"val_ssim_{target}_from_{source}"] = ssim
    logger.info("Validation: %s", ", ".join(f"{k}={v:.3f}" for k, v in result.metrics.items()))
    return result

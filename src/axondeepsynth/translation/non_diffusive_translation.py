"""SynDiff's non-diffusive ResNet generators as a one-pass translator for the engine.

SynDiff trains, beside its diffusive generators, two CycleGAN-like ResNet generators
(``gen_non_diffusive_1to2``: contrast1 -> contrast2, and ``gen_non_diffusive_2to1``) whose output
only conditions the diffusive ones. Used on their own they translate a tile in one forward pass,
deterministically, at a fraction of the reverse chain's cost: the ``non_diffusive`` arm of the
experiment measures what the diffusive part buys over them. Their checkpoints are written with
the diffusive ones in every run, so this costs no extra training.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import numpy as np
import torch
from torch import nn

from axondeepsynth.syndiff.checkpoints import CheckpointStore, load_weights_strictly
from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.cpu_threads import resolve_cpu_threads, torch_cpu_threads
from axondeepsynth.syndiff.networks import build_network
from axondeepsynth.syndiff.precision import ComputeSettings, resolve_compute
from axondeepsynth.translation.model_translation import ModelTranslation, generator_direction, resolve_device

logger = logging.getLogger(__name__)


def non_diffusive_generator_name(direction: Literal[1, 2]) -> str:
    """File stem of the ResNet generator producing contrast ``direction`` (1 or 2)."""
    return "gen_non_diffusive_2to1" if direction == 1 else "gen_non_diffusive_1to2"


class OnePassTranslateFn:
    """``translate_fn`` of a deterministic generator: one forward pass per batch; seeds are ignored.

    ``cpu_threads``: torch's CPU threads while a batch is translated (see
    :func:`~axondeepsynth.syndiff.cpu_threads.resolve_cpu_threads`); ``compute``: precision and
    memory layout on ``device`` (:func:`~axondeepsynth.syndiff.precision.resolve_compute`).
    """

    def __init__(self, generator: nn.Module, device: torch.device, compute: ComputeSettings,
                 cpu_threads: int | None = None) -> None:
        self._generator = generator.to(device, memory_format=compute.memory_format).eval()
        self._device = device
        self._compute = compute
        self._cpu_threads = resolve_cpu_threads(cpu_threads)

    def __call__(self, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        with torch_cpu_threads(self._cpu_threads), torch.inference_mode(), self._compute.autocast(self._device):
            batch = torch.from_numpy(np.ascontiguousarray(tiles)).to(self._device, torch.float32)
            translated = self._generator(batch.contiguous(memory_format=self._compute.memory_format))
            return translated.float().cpu().numpy()


def load_non_diffusive_translation(
    store: CheckpointStore,
    experiment: str,
    which_epoch: int | Literal["latest"],
    source_contrast: str,
    devices: Sequence[str],
    cpu_threads: int | None = None,
    precision: str = "auto",
    channels_last: str | bool = "auto",
) -> ModelTranslation:
    """Load the ResNet generator translating ``source_contrast`` into the other contrast; the
    arguments are those of :func:`~axondeepsynth.translation.model_translation.load_model_translation`.

    Runs on the first of ``devices`` (one pass per tile is cheap; batches are not split).

    Raises:
        CheckpointNotFoundError: the experiment or epoch does not exist (lists available epochs).
        UnknownContrastError: ``source_contrast`` is not one of the checkpoint's contrasts.
        CheckpointArchitectureError: the stored weights do not fit the recorded architecture.
    """
    header = store.load_generator_file(experiment, "gen_diffusive_1", which_epoch)
    direction, target = generator_direction(header["contrasts"], source_contrast)
    name = non_diffusive_generator_name(direction)
    payload = store.load_generator_file(experiment, name, int(header["epoch"]))
    model_config = ModelConfig.from_dict(payload["model_config"])
    generator = build_network(payload["network"], model_config)
    path = store.generator_path(experiment, name, payload["epoch"])
    load_weights_strictly(generator, payload["state_dict"], str(path))
    device = resolve_device(devices[0])
    if len(devices) > 1:
        logger.info("The non-diffusive generator runs on %s only (of %s).", device, list(devices))
    logger.info("Loaded %s (%s -> %s) of %s epoch %d on %s.", name, source_contrast, target, experiment,
                payload["epoch"], device)
    return ModelTranslation(
        translate_fn=OnePassTranslateFn(generator, device, resolve_compute(precision, channels_last, device),
                                        cpu_threads),
        source_contrast=source_contrast,
        target_contrast=target,
        direction=direction,
        epoch=int(payload["epoch"]),
        image_size=model_config.image_size,
    )

"""Turn a trained SynDiff checkpoint into the engine's ``translate_fn``, on one or several devices.

The direction follows the checkpoint's contrasts (as in the original tool): translating images of
contrast2 uses diffusive generator 1, which produces contrast1, and vice versa. With several
devices (GPUs), every batch is split into contiguous chunks, one per device, translated
concurrently (PyTorch releases the GIL while it computes) and put back in order. Noise is drawn
per image seed (:mod:`axondeepsynth.translation.shared_noise_sampling`), so the split does not
change the result. The generator runs with the fastest precision and layout of each device
unless told otherwise (``precision``/``channels_last``, see
:func:`axondeepsynth.syndiff.precision.resolve_compute`), and :func:`device_batch_size` suggests
how many tiles one call should hold on that device.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.cpu_threads import resolve_cpu_threads, torch_cpu_threads
from axondeepsynth.syndiff.precision import resolve_compute
from axondeepsynth.syndiff.sampler import Translator
from axondeepsynth.translation.shared_noise_sampling import translate_with_shared_noise
from axondeepsynth.translation.tiled_translation import TranslateFn

logger = logging.getLogger(__name__)


CPU_TILES_PER_CALL = 8
"""Tiles per call on a CPU: larger batches do not raise a CPU's tiles/s, they only hold more memory."""

class UnknownContrastError(ValueError):
    """The source contrast is neither of the checkpoint's two contrasts."""


@dataclass(frozen=True)
class ModelTranslation:
    """A loaded generator ready for the engine.

    Attributes:
        translate_fn: see :data:`~axondeepsynth.translation.tiled_translation.TranslateFn`.
        source_contrast, target_contrast: modality names from the checkpoint.
        direction: the diffusive generator used (1 produces contrast1, 2 contrast2).
        epoch: the checkpoint epoch loaded.
        image_size: tile side (pixels) the model was trained on.
        batch_size: tiles per ``translate_fn`` call suggested for the devices
            (:func:`device_batch_size`, per device, times the number of devices).
    """

    translate_fn: TranslateFn
    source_contrast: str
    target_contrast: str
    direction: int
    epoch: int
    image_size: int
    batch_size: int = CPU_TILES_PER_CALL


def generator_direction(contrasts: Sequence[str], source_contrast: str) -> tuple[Literal[1, 2], str]:
    """(generator number, target contrast) that translates ``source_contrast`` into the other one."""
    contrast1, contrast2 = contrasts
    if source_contrast == contrast2:
        return 1, contrast1
    if source_contrast == contrast1:
        return 2, contrast2
    raise UnknownContrastError(
        f"translation.source_contrast {source_contrast!r} is neither of the checkpoint's contrasts "
        f"{[contrast1, contrast2]}; set it to the modality of the images to translate."
    )


def resolve_device(name: str) -> torch.device:
    """``auto`` -> ``cuda`` when available, else ``cpu``; other names as torch reads them."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"translation.device {name!r} asks for CUDA but none is available; use cpu or auto.")
    return device


GPU_MAX_TILES_PER_CALL = 64
GPU_BYTES_PER_TILE_256 = 256 * 2**20
"""Rough inference memory of one 256 px tile through the width-64 NCSN++ (activations of a
level-0 block and its skips, with headroom); scaled by area and width for other models."""


def device_batch_size(device: torch.device, model: ModelConfig, memory_share: float = 0.5) -> int:
    """Tiles per call for ``device``: :data:`CPU_TILES_PER_CALL` on CPU; on CUDA as many as
    ``memory_share`` of the free GPU memory holds at the rough per-tile cost above, at most
    :data:`GPU_MAX_TILES_PER_CALL` (throughput saturates well before)."""
    if device.type != "cuda":
        return CPU_TILES_PER_CALL
    free_bytes, _ = torch.cuda.mem_get_info(device)
    per_tile = GPU_BYTES_PER_TILE_256 * (model.image_size / 256) ** 2 * (model.num_channels / 64)
    return int(max(1, min(GPU_MAX_TILES_PER_CALL, free_bytes * memory_share // per_tile)))


class DeviceSplitTranslateFn:
    """``translate_fn`` over one :class:`Translator` per device; batches split across devices.

    ``cpu_threads`` sets torch's CPU threads while a batch is translated (None: the cores this
    process may use, divided among the CPU translators that run at once; see
    :mod:`axondeepsynth.syndiff.cpu_threads`). Each chunk goes to its device as one tensor and
    comes back as one copy.
    """

    def __init__(self, translators: Sequence[Translator], cpu_threads: int | None = None) -> None:
        if not translators:
            raise ValueError("at least one device is needed to translate.")
        self._translators = list(translators)
        cpu_workers = sum(t.device.type == "cpu" for t in self._translators)
        self._cpu_threads = resolve_cpu_threads(cpu_threads, max(1, cpu_workers))
        self._pool = ThreadPoolExecutor(len(translators)) if len(translators) > 1 else None

    @staticmethod
    def _translate_chunk(translator: Translator, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        batch = torch.from_numpy(np.ascontiguousarray(tiles))
        return translate_with_shared_noise(translator, batch, seeds).float().cpu().numpy()

    def __call__(self, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        with torch_cpu_threads(self._cpu_threads):
            return self._translate_split(tiles, seeds)

    def _translate_split(self, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        if self._pool is None:
            return self._translate_chunk(self._translators[0], tiles, seeds)
        bounds = np.linspace(0, len(tiles), len(self._translators) + 1).astype(int)
        jobs = [
            self._pool.submit(self._translate_chunk, translator, tiles[lo:hi], list(seeds[lo:hi]))
            for translator, lo, hi in zip(self._translators, bounds[:-1], bounds[1:])
            if hi > lo
        ]
        return np.concatenate([job.result() for job in jobs])


def load_model_translation(
    store: CheckpointStore,
    experiment: str,
    which_epoch: int | Literal["latest"],
    source_contrast: str,
    devices: Sequence[str],
    cpu_threads: int | None = None,
    precision: str = "auto",
    channels_last: str | bool = "auto",
) -> ModelTranslation:
    """Load the diffusive generator translating ``source_contrast`` onto each of ``devices``
    (``cpu_threads``: see :class:`DeviceSplitTranslateFn`; ``precision`` auto | bf16 | fp32 and
    ``channels_last`` auto | true | false: see :func:`axondeepsynth.syndiff.precision.resolve_compute`).

    Raises:
        CheckpointNotFoundError: the experiment or epoch does not exist (lists available epochs).
        UnknownContrastError: ``source_contrast`` is not one of the checkpoint's contrasts.
    """
    header = store.load_generator_file(experiment, "gen_diffusive_1", which_epoch)
    direction, target = generator_direction(header["contrasts"], source_contrast)
    epoch = int(header["epoch"])
    translators = []
    for name in devices:
        device = resolve_device(name)
        generator, model_config, diffusion_config = store.load_diffusive_generator(experiment, epoch, direction, device)
        compute = resolve_compute(precision, channels_last, device)
        translators.append(Translator(generator, diffusion_config, device, compute))
    batch_size = sum(device_batch_size(t.device, model_config) for t in translators)
    logger.info(
        "Loaded gen_diffusive_%d (%s -> %s) of %s epoch %d on %s (%s; %d tiles per call suggested).",
        direction, source_contrast, target, experiment, epoch, [str(t.device) for t in translators],
        translators[0].compute.describe(), batch_size,
    )
    return ModelTranslation(
        translate_fn=DeviceSplitTranslateFn(translators, cpu_threads),
        source_contrast=source_contrast,
        target_contrast=target,
        direction=direction,
        epoch=epoch,
        image_size=model_config.image_size,
        batch_size=batch_size,
    )

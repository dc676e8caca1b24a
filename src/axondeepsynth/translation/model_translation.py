"""Turn a trained SynDiff checkpoint into the engine's ``translate_fn``, on one or several devices.

The direction follows the checkpoint's contrasts (as in the original tool): translating images of
contrast2 uses diffusive generator 1, which produces contrast1, and vice versa. With several
devices (GPUs), every batch is split into contiguous chunks, one per device, translated
concurrently (PyTorch releases the GIL while it computes) and put back in order. Noise is drawn
per image seed (:mod:`axondeepsynth.translation.shared_noise_sampling`), so the split does not
change the result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.syndiff.sampler import Translator
from axondeepsynth.translation.shared_noise_sampling import translate_with_shared_noise
from axondeepsynth.translation.tiled_translation import TranslateFn

logger = logging.getLogger(__name__)


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
    """

    translate_fn: TranslateFn
    source_contrast: str
    target_contrast: str
    direction: int
    epoch: int
    image_size: int


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


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with ``count`` torch intra-op CPU threads (None: leave torch's setting)."""
    if count is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class DeviceSplitTranslateFn:
    """``translate_fn`` over one :class:`Translator` per device; batches split across devices.

    ``cpu_threads`` caps torch's CPU threads while a batch is translated (None: torch's default,
    one per core); on a machine shared with other jobs fewer threads contend less.
    """

    def __init__(self, translators: Sequence[Translator], cpu_threads: int | None = None) -> None:
        if not translators:
            raise ValueError("at least one device is needed to translate.")
        self._translators = list(translators)
        self._cpu_threads = cpu_threads
        self._pool = ThreadPoolExecutor(len(translators)) if len(translators) > 1 else None

    @staticmethod
    def _translate_chunk(translator: Translator, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        batch = torch.from_numpy(np.ascontiguousarray(tiles))
        return translate_with_shared_noise(translator, batch, seeds).float().cpu().numpy()

    def __call__(self, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        with torch_threads(self._cpu_threads):
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
) -> ModelTranslation:
    """Load the diffusive generator translating ``source_contrast`` onto each of ``devices``
    (``cpu_threads``: see :class:`DeviceSplitTranslateFn`).

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
        translators.append(Translator(generator, diffusion_config, device))
    logger.info(
        "Loaded gen_diffusive_%d (%s -> %s) of %s epoch %d on %s.",
        direction, source_contrast, target, experiment, epoch, [str(t.device) for t in translators],
    )
    return ModelTranslation(
        translate_fn=DeviceSplitTranslateFn(translators, cpu_threads),
        source_contrast=source_contrast,
        target_contrast=target,
        direction=direction,
        epoch=epoch,
        image_size=model_config.image_size,
    )

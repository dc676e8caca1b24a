"""The phantom samples of a config, rendered one at a time on iteration.

Every sample belongs to one modality (SEM subjects 01..N, TEM subjects N+1..2N: different tissue,
as unpaired real data would be) and is rendered twice on its own pixel grid: by its own
modality's renderer (the training image) and by the other one (the paired image, for evaluation
only). Random streams are keyed by (seed, modality, subject, sample, purpose), so any one
sample can be reproduced without generating the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from axondeepsynth.phantoms.config import MODALITIES, PhantomConfig
from axondeepsynth.phantoms.rasterise import TissueRaster, rasterise_tissue
from axondeepsynth.phantoms.sem_renderer import render_sem
from axondeepsynth.phantoms.tem_renderer import render_tem
from axondeepsynth.phantoms.tissue import generate_tissue

RENDERERS: dict[str, Callable[[TissueRaster, np.random.Generator], np.ndarray]] = {
    "sem": render_sem,
    "tem": render_tem,
}
SUBJECT_DIAMETER_SCALE = (0.85, 1.2)
"""Range of a subject's factor on the median axon diameter: subjects differ, samples of one subject less so."""
_TISSUE_STREAM = 0


def other_modality(modality: str) -> str:
    """The modality a sample of ``modality`` is paired with."""
    return MODALITIES[1 - MODALITIES.index(modality)]


@dataclass(frozen=True)
class PhantomSample:
    """One rendered sample.

    Attributes:
        modality: ``sem`` or ``tem``, the modality whose dataset this sample belongs to.
        subject / sample: BIDS labels without their ``sub-`` / ``sample-`` prefixes.
        pixel_size_um: micrometres per pixel of all three arrays.
        labels: uint8 0 background, 1 myelin, 2 axon.
        image: uint8 rendering in ``modality``.
        paired_image: uint8 rendering of the same tissue on the same grid in the other modality.
    """

    modality: str
    subject: str
    sample: str
    pixel_size_um: float
    labels: np.ndarray
    image: np.ndarray
    paired_image: np.ndarray

    @property
    def name(self) -> str:
        """``sub-XX_sample-YY``, the BIDS entity prefix of every file of this sample."""
        return f"sub-{self.subject}_sample-{self.sample}"

    @property
    def paired_modality(self) -> str:
        return other_modality(self.modality)


class PhantomCollection:
    """All samples of ``config``, rendered lazily: iterating holds one sample in memory at a time."""

    def __init__(self, config: PhantomConfig) -> None:
        self.config = config

    def __len__(self) -> int:
        return len(MODALITIES) * self.config.n_subjects * self.config.samples_per_subject

    def __iter__(self) -> Iterator[PhantomSample]:
        for modality in MODALITIES:
            yield from self.samples(modality)

    def __repr__(self) -> str:
        return f"PhantomCollection({len(self)} samples, seed={self.config.seed})"

    def samples(self, modality: str) -> Iterator[PhantomSample]:
        """The samples of one modality, subject by subject."""
        for subject_index, subject in enumerate(self.config.subject_ids(modality)):
            for sample_index in range(self.config.samples_per_subject):
                yield self.render(modality, subject_index, sample_index)

    def _stream(self, modality: str, subject_index: int, *keys: int) -> np.random.Generator:
        return np.random.default_rng([self.config.seed, MODALITIES.index(modality), subject_index, *keys])

    def render(self, modality: str, subject_index: int, sample_index: int) -> PhantomSample:
        """Generate, rasterise and render one sample (indices count from 0)."""
        config = self.config
        subject_scale = self._stream(modality, subject_index).uniform(*SUBJECT_DIAMETER_SCALE)
        tissue_rng = self._stream(modality, subject_index, sample_index, _TISSUE_STREAM)
        tissue = generate_tissue(config, tissue_rng, diameter_scale=subject_scale)
        pixel_size = config.pixel_size_um[modality]
        raster = rasterise_tissue(tissue, pixel_size, config.image_shape(pixel_size))
        paired = other_modality(modality)
        return PhantomSample(
            modality=modality,
            subject=config.subject_ids(modality)[subject_index],
            sample=f"{sample_index + 1:02d}",
            pixel_size_um=pixel_size,
            labels=raster.labels,
            image=self._draw(modality, raster, modality, subject_index, sample_index),
            paired_image=self._draw(paired, raster, modality, subject_index, sample_index),
        )

    def _draw(
        self, renderer: str, raster: TissueRaster, modality: str, subject_index: int, sample_index: int
    ) -> np.ndarray:
        rng = self._stream(modality, subject_index, sample_index, 1 + MODALITIES.index(renderer))
        return RENDERERS[renderer](raster, rng)


def generate_phantoms(config: PhantomConfig) -> PhantomCollection:
    """The lazy collection of every phantom sample of ``config`` (nothing is rendered yet)."""
    return PhantomCollection(config)

"""The afternoon baseline of adaptation: give target images the source modality's intensity histogram.

Instead of a learned translator, every target image's grey levels are remapped monotonically
(scikit-image's :func:`~skimage.exposure.match_histograms`) so that their distribution matches
the *pooled* histogram of the source training images; the source-trained model then segments
them. Structures are never moved, invented or erased (the mapping is a lookup table of grey
levels), so what this arm gains over no adaptation is what intensity alone explains.

The pooled reference is kept as 256 grey-level counts (:class:`IntensityReference`), so a source
set of any size costs 256 integers; it is expanded to a representative pixel array of bounded
size only when an image is matched.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import wasserstein_distance
from skimage.exposure import match_histograms
from tqdm.auto import tqdm

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.translation.tiled_translation import TranslationStats
from axondeepsynth.translation.translated_case import SourceImage, TranslatedCase

GREY_LEVELS = 256
REFERENCE_PIXELS = 1 << 20
"""Pixels of the representative array expanded from a reference histogram (quantiles are exact
to 1 / 2**20 of the distribution, far below one grey level of a uint8 image)."""


class EmptyReferenceError(ValueError):
    """The images a reference histogram is built from hold no pixels."""


@dataclass(frozen=True)
class IntensityReference:
    """Pooled grey-level histogram of a set of uint8 images.

    Attributes:
        counts: (256,) int64 pixel counts per grey level 0-255.
        images: how many images were pooled.
    """

    counts: np.ndarray
    images: int

    @property
    def probabilities(self) -> np.ndarray:
        """The histogram normalised to sum to 1."""
        return self.counts / self.counts.sum()

    def representative_pixels(self, size: int = REFERENCE_PIXELS) -> np.ndarray:
        """A sorted uint8 array of ``size`` pixels whose histogram is this one (quantiles kept)."""
        quantiles = (np.arange(size) + 0.5) / size
        cumulative = np.cumsum(self.probabilities)
        return np.searchsorted(cumulative, quantiles, side="right").clip(0, GREY_LEVELS - 1).astype(np.uint8)


def grey_level_counts(image: np.ndarray) -> np.ndarray:
    """(256,) pixel counts of a uint8 image."""
    if image.dtype != np.uint8:
        raise ValueError(f"grey-level counts need a uint8 image, got {image.dtype}.")
    return np.bincount(image.ravel(), minlength=GREY_LEVELS).astype(np.int64)


def intensity_reference(images: Iterable[np.ndarray]) -> IntensityReference:
    """Pool the grey-level histograms of ``images`` (uint8, any sizes); each pixel counts once.

    Raises:
        EmptyReferenceError: no image, or only empty ones.
    """
    counts = np.zeros(GREY_LEVELS, np.int64)
    pooled = 0
    for image in images:
        counts += grey_level_counts(image)
        pooled += 1
    if counts.sum() == 0:
        raise EmptyReferenceError(
            "the intensity reference has no pixels: point the histogram_matching reference at a "
            "folder holding the source modality's training images."
        )
    return IntensityReference(counts, pooled)


def match_to_reference(image: np.ndarray, reference: IntensityReference) -> np.ndarray:
    """``image`` (uint8) with its grey levels remapped monotonically onto ``reference``'s histogram."""
    if image.ndim != 2:
        raise ValueError(f"histogram matching needs a 2-D grayscale image, got shape {image.shape}.")
    matched = match_histograms(image, reference.representative_pixels()[None, :])
    return np.rint(matched).clip(0, GREY_LEVELS - 1).astype(np.uint8)


def histogram_distance(counts: np.ndarray, reference: IntensityReference) -> float:
    """Earth mover's distance between two grey-level histograms, in grey levels (0 = same distribution).

    It is how far, on average, a pixel's grey level must move to turn one distribution into the
    other (``counts`` as returned by :func:`grey_level_counts`).
    """
    levels = np.arange(GREY_LEVELS)
    return float(wasserstein_distance(levels, levels, counts, reference.counts))


def matched_cases(records: Sequence[ImageRecord], reference: IntensityReference,
                  stats: TranslationStats | None = None) -> Iterator[TranslatedCase]:
    """Histogram-match each image of ``records`` when pulled, paired with its source (lazy, one image
    in memory): the same stream a SynDiff adaptation gives its writer, so the output folder is
    written, segmented and scored exactly like a translated one. ``stats`` (optional) counts the
    images and the seconds spent matching them."""
    for record in tqdm(records, desc="Histogram matching", unit="image"):
        started = time.perf_counter()
        matched = match_to_reference(read_grayscale(record.path), reference)
        if stats is not None:
            stats.images += 1
            stats.translate_seconds += time.perf_counter() - started
        yield TranslatedCase(SourceImage(record.path, record.label_path, record.sample), matched)

"""Translation quality against ground truth (PSNR, SSIM) and a before/after figure.

PSNR is in dB and SSIM unitless, both on uint8 images (data range 255) at the source's original
size, computed with scikit-image. Ground truth exists only for phantoms (see
:mod:`axondeepsynth.translation.paired_renderings`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import resize_image_to
from axondeepsynth.translation.paired_renderings import sample_key
from axondeepsynth.translation.translation_manifest import TranslatedPair

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PairScore:
    """PSNR (dB) and SSIM of one translation against its paired rendering."""

    name: str
    psnr_db: float
    ssim: float


def score_translation(translated: np.ndarray, reference: np.ndarray, name: str) -> PairScore:
    """PSNR/SSIM of two uint8 images of the same field of view.

    A source that was resampled before translation (e.g. an nnU-Net export at the working pixel
    size) no longer has its paired rendering's pixel grid; the rendering is then resized
    (anti-aliased) to the translation's shape. Fields of different aspect ratio cannot be the
    same tissue and are refused.
    """
    if translated.shape != reference.shape:
        ratios = np.divide(translated.shape, reference.shape)
        if not np.isclose(ratios[0], ratios[1], rtol=0.02):
            raise ValueError(
                f"translation '{name}' has shape {translated.shape} but its paired rendering has "
                f"{reference.shape}: not the same field of view."
            )
        logger.debug("Resizing the paired rendering of '%s' from %s to %s.", name, reference.shape, translated.shape)
        reference = resize_image_to(reference, translated.shape)
    return PairScore(
        name=name,
        psnr_db=float(peak_signal_noise_ratio(reference, translated, data_range=255)),
        ssim=float(structural_similarity(reference, translated, data_range=255)),
    )


def score_against_paired(pairs: Iterable[TranslatedPair], paired: Mapping[str, Path]) -> list[PairScore]:
    """Score every translation whose source has a paired rendering (matched by sample key)."""
    scores = []
    for pair in pairs:
        key = sample_key(pair.source_path.stem) or sample_key(pair.name)
        if key is None or key not in paired:
            continue
        scores.append(score_translation(pair.translated, read_grayscale(paired[key]), pair.name))
    logger.info("Scored %d translation(s) against paired renderings.", len(scores))
    return scores


def before_after_figure(pairs: Iterable[TranslatedPair], paired: Mapping[str, Path], title: str) -> Figure:
    """One row per image: source, translation and (when known) the paired ground truth."""
    rows = list(pairs)
    columns = 3 if paired else 2
    figure = Figure(figsize=(3.2 * columns, 3.2 * max(len(rows), 1)), constrained_layout=True)
    axes = figure.subplots(max(len(rows), 1), columns, squeeze=False)
    for row, pair in zip(axes, rows):
        key = sample_key(pair.source_path.stem) or sample_key(pair.name)
        panels = [("source", pair.source), ("translation", pair.translated)]
        if paired:
            truth = read_grayscale(paired[key]) if key in paired else np.zeros_like(pair.source)
            panels.append(("paired rendering" if key in paired else "no paired rendering", truth))
        for axis, (label, image) in zip(row, panels):
            axis.imshow(image, cmap="gray", vmin=0, vmax=255)
            axis.set_title(f"{label}\n{pair.name}", fontsize=8)
            axis.axis("off")
    figure.suptitle(title)
    return figure

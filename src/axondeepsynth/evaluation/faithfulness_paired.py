"""PSNR/SSIM of a translation against the paired rendering of its source tissue (phantoms only).

The paired rendering (:mod:`axondeepsynth.translation.paired_renderings`) lies on the source's
original pixel grid. A translated dataset may hold the source at another pixel size (an nnU-Net
export brought to a working pixel size), still covering the same field of view; the rendering is
then resized to the translation's shape before scoring, so ground truth exists whatever the scale.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import resize_image_to
from axondeepsynth.translation.paired_renderings import sample_key
from axondeepsynth.translation.translation_quality import score_translation

logger = logging.getLogger(__name__)


def score_against_rendering(name: str, source_path: Path, translation: np.ndarray,
                            paired: Mapping[str, Path]) -> dict[str, float]:
    """``{"psnr_db", "ssim"}`` of a uint8 translation against its source's paired rendering.

    Args:
        name: the translated case's name (also searched for a ``sub-*_sample-*`` key).
        source_path: the source image; its ``sub-*_sample-*`` key finds the rendering.
        translation: the translated image, uint8.
        paired: ``{sample key: rendering path}`` from
            :func:`~axondeepsynth.translation.paired_renderings.index_paired_renderings`.

    Returns:
        PSNR in dB and SSIM (data range 255) at the translation's size; empty when the source has
        no paired rendering.
    """
    key = sample_key(source_path.stem) or sample_key(name)
    if key is None or key not in paired:
        return {}
    rendering = read_grayscale(paired[key])
    if rendering.shape != translation.shape:
        logger.info("Paired rendering of %s resized from %s to the translation's %s.", name, rendering.shape,
                    translation.shape)
        rendering = resize_image_to(rendering, translation.shape)
    score = score_translation(translation, rendering, name)
    return {"psnr_db": score.psnr_db, "ssim": score.ssim}

"""PSNR/SSIM of a translation against the paired rendering of its source tissue (phantoms only).

The paired rendering (:mod:`axondeepsynth.translation.paired_renderings`) lies on the source's
original pixel grid; :func:`~axondeepsynth.translation.translation_quality.score_translation`
resizes it when the translated source was resampled first (same field of view).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.translation.paired_renderings import sample_key
from axondeepsynth.translation.translation_quality import score_translation


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
    score = score_translation(translation, read_grayscale(paired[key]), name)
    return {"psnr_db": score.psnr_db, "ssim": score.ssim}

"""PSNR/SSIM of translations against the phantoms' paired renderings, at the source's and at another scale."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from axondeepsynth.evaluation.faithfulness_paired import score_against_rendering
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image
from axondeepsynth.translation.paired_renderings import index_paired_renderings


@pytest.fixture(scope="module")
def paired(phantom_root: Path) -> dict[str, Path]:
    return index_paired_renderings(phantom_root / "paired", "sem")


@pytest.fixture(scope="module")
def source(phantom_root: Path) -> Path:
    return next((phantom_root / "sem_bids").rglob("sub-01_sample-01_SEM.png"))


def test_the_rendering_itself_scores_perfectly_and_the_untranslated_source_poorly(paired, source):
    rendering = read_grayscale(paired["sub-01_sample-01"])
    perfect = score_against_rendering("case_0000", source, rendering, paired)
    assert math.isinf(perfect["psnr_db"]) and perfect["ssim"] == pytest.approx(1.0)
    untranslated = score_against_rendering("case_0000", source, read_grayscale(source), paired)
    assert untranslated["ssim"] < 0.3 and untranslated["psnr_db"] < 15


def test_a_translation_at_half_the_pixel_count_is_scored_against_the_resized_rendering(paired, source):
    half = rescale_image(read_grayscale(paired["sub-01_sample-01"]), 0.5)
    score = score_against_rendering("case_0000", source, half, paired)
    assert score["ssim"] > 0.9 and score["psnr_db"] > 30


def test_sources_without_rendering_get_no_score(paired, tmp_path):
    assert score_against_rendering("case_0000", tmp_path / "sub-99_sample-01_SEM.png", read_grayscale(
        next(iter(paired.values()))), paired) == {}
    assert score_against_rendering("plain", tmp_path / "micrograph.png", read_grayscale(
        next(iter(paired.values()))), paired) == {}

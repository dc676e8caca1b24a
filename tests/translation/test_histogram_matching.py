"""Histogram matching of the real TEM sample onto the pooled histogram of the real SEM samples."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.histogram_matching import (
    EmptyReferenceError,
    grey_level_counts,
    histogram_distance,
    intensity_reference,
    match_to_reference,
    matched_cases,
)
from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.tiled_translation import TranslationStats


@pytest.fixture(scope="module")
def sem_reference(real_data_dir: Path):
    records = discover_images(real_data_dir / "sem_bids", modality="sem")
    return intensity_reference(read_grayscale(record.path) for record in records)


@pytest.fixture(scope="module")
def tem_record(real_data_dir: Path):
    return discover_images(real_data_dir / "tem_bids", modality="tem")[0]


def test_reference_pools_every_sem_pixel(real_data_dir: Path, sem_reference) -> None:
    images = [read_grayscale(r.path) for r in discover_images(real_data_dir / "sem_bids", modality="sem")]
    assert sem_reference.images == len(images) == 7
    assert sem_reference.counts.sum() == sum(image.size for image in images)
    pixels = sem_reference.representative_pixels(10_000)
    assert np.all(np.diff(pixels.astype(int)) >= 0)
    assert abs(np.median(pixels) - np.median(np.concatenate([i.ravel() for i in images]))) <= 1


def test_matched_tem_moves_close_to_sem_and_keeps_its_structure(tem_record, sem_reference) -> None:
    tem = read_grayscale(tem_record.path)
    matched = match_to_reference(tem, sem_reference)
    before = histogram_distance(grey_level_counts(tem), sem_reference)
    after = histogram_distance(grey_level_counts(matched), sem_reference)
    assert matched.shape == tem.shape and matched.dtype == np.uint8
    assert after < 0.2 * before, (before, after)
    assert after < 2.0  # grey levels
    # a monotone remapping of grey levels: the order of pixels is kept
    sample = np.random.default_rng(0).choice(tem.size, 20_000, replace=False)
    assert spearmanr(tem.ravel()[sample], matched.ravel()[sample]).statistic > 0.99


def test_matched_cases_write_like_an_adaptation_folder(tem_record, sem_reference, tmp_path: Path) -> None:
    out = tmp_path / "matched"
    stats = TranslationStats()
    mapping = write_image_folder(out, matched_cases([tem_record], sem_reference, stats))
    assert stats.images == 1 and stats.translate_seconds > 0
    name = f"{tem_record.path.stem}.png"
    assert list(mapping) == [name]
    assert json.loads((out / "translated_to_original.json").read_text())[name]["source_image"] == str(tem_record.path)
    written = read_grayscale(out / name)
    np.testing.assert_array_equal(written, match_to_reference(read_grayscale(tem_record.path), sem_reference))
    with pytest.raises(FileExistsError):
        write_image_folder(out, matched_cases([tem_record], sem_reference))


def test_empty_reference_is_refused() -> None:
    with pytest.raises(EmptyReferenceError, match="training images"):
        intensity_reference([])

"""The tiled engine with an identity translate_fn gives back the input images at original size."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image, resize_image_to
from axondeepsynth.translation.image_tiles import ImageTiles, tile_image
from axondeepsynth.translation.tiled_translation import (
    IncompleteImageError,
    TiledTranslationEngine,
    image_seed,
)


def _identity(tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
    return tiles


@pytest.fixture(scope="module")
def sem_images(real_data_dir: Path) -> list[np.ndarray]:
    """Crops of three real SEM samples, of sizes that are not multiples of any tile."""
    paths = sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))[:3]
    return [read_grayscale(path)[:301, :257] for path in paths]


@pytest.mark.parametrize(("tile", "overlap", "batch_size"), [(64, 16, 5), (128, 0, 1), (96, 32, 64)])
def test_identity_translation_returns_the_inputs_exactly(sem_images, tile, overlap, batch_size):
    engine = TiledTranslationEngine(_identity, batch_size=batch_size)
    outputs = list(engine.translate(tile_image(image, tile, overlap, 1.0) for image in sem_images))
    assert len(outputs) == len(sem_images)
    for output, image in zip(outputs, sem_images):
        assert np.array_equal(output, image)
    assert engine.stats.images == len(sem_images)


def test_batches_span_several_images_smaller_than_a_tile(sem_images):
    small = [image[:40, : 30 + 7 * index] for index, image in enumerate(sem_images)]
    engine = TiledTranslationEngine(_identity, batch_size=8)
    outputs = list(engine.translate(tile_image(image, 64, 16, 1.0) for image in small))
    assert [output.shape for output in outputs] == [image.shape for image in small]
    assert all(np.array_equal(output, image) for output, image in zip(outputs, small))
    assert engine.stats.batches == 1


def test_scaled_translation_comes_back_at_the_original_size(sem_images):
    """With identity tiles, scaling by 0.5 gives what rescaling down and back up gives directly."""
    engine = TiledTranslationEngine(_identity, batch_size=4)
    outputs = list(engine.translate(tile_image(image, 64, 16, 0.5) for image in sem_images))
    for output, image in zip(outputs, sem_images):
        assert output.shape == image.shape
        assert np.array_equal(output, resize_image_to(rescale_image(image, 0.5), image.shape))


def test_every_tile_of_an_image_shares_its_seed_and_reruns_repeat(sem_images):
    seen: list[int] = []

    def recording(tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        seen.extend(seeds)
        return tiles

    items = [tile_image(image, 64, 16, 1.0) for image in sem_images]
    counts = [item.layout.tile_count for item in items]
    list(TiledTranslationEngine(recording, batch_size=7, run_seed=3).translate(items))
    expected = [image_seed(3, index) for index, count in enumerate(counts) for _ in range(count)]
    assert seen == expected
    assert len(set(expected)) == len(sem_images)
    assert image_seed(3, 0) != image_seed(4, 0)


def test_a_tile_stream_that_stops_early_is_reported(sem_images):
    complete = tile_image(sem_images[0], 64, 16, 1.0)
    truncated = ImageTiles(complete.layout, list(complete.tiles)[:-1])
    engine = TiledTranslationEngine(_identity, batch_size=4)
    with pytest.raises(IncompleteImageError, match="missing 1"):
        list(engine.translate([truncated]))


def test_translate_fn_changing_the_shape_is_refused(sem_images):
    engine = TiledTranslationEngine(lambda tiles, seeds: tiles[:, :, :32], batch_size=4)
    with pytest.raises(ValueError, match="returned shape"):
        list(engine.translate([tile_image(sem_images[0], 64, 16, 1.0)]))

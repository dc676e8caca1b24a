"""Translating from the data_engineering tile set: identity tiles rebuild the source images."""

from __future__ import annotations

import numpy as np

from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSetHDF5Dataset
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image, resize_image_to
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.translation.tile_set_source import TileSetSource
from axondeepsynth.translation.translation_source import translated_cases


def _tile_set(source_root, tmp_path, scale: float):
    records = discover_images(source_root, modality="sem")
    plan = TilePlan(
        name="real", modality="sem", tile_size=64, overlap=16,
        images=[TiledImageSource(r, scale, 64, 16) for r in records],
    )
    dataset = TileSetHDF5Dataset(str(tmp_path / "real_sem.hdf5"))
    dataset.save(plan)
    return TileSetSource(dataset.load())


def test_stored_tiles_stitch_back_to_the_sources(sem_nnunet_source, tmp_path, identity_engine):
    source = _tile_set(sem_nnunet_source, tmp_path, scale=1.0)
    cases = list(translated_cases(source, identity_engine))
    assert len(cases) == len(source.images) and source.total_tiles == identity_engine.stats.tiles
    for case in cases:
        assert np.array_equal(case.image, read_grayscale(case.source.path))
        assert case.source.label_path is not None and case.source.label_path.is_file()


def test_scaled_tile_sets_come_back_at_the_original_size(sem_nnunet_source, tmp_path, identity_engine):
    source = _tile_set(sem_nnunet_source, tmp_path, scale=0.3)
    for case in translated_cases(source, identity_engine):
        original = read_grayscale(case.source.path)
        assert case.image.shape == original.shape
        assert np.array_equal(case.image, resize_image_to(rescale_image(original, 0.3), original.shape))

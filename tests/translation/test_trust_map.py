"""Trust maps of real SEM crops: spread over noise draws, cycle error, flags and the written PNGs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.translation.image_tiles import tile_image
from axondeepsynth.translation.model_translation import load_model_translation
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
from axondeepsynth.translation.trust_map import (
    TrustParameterError,
    TrustSettings,
    as_grey_levels,
    flag_trust,
    trust_map,
)


@pytest.fixture(scope="module")
def sem_crops(real_data_dir: Path) -> list[np.ndarray]:
    paths = sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))[:2]
    return [read_grayscale(path)[100:200, 60:170] for path in paths]


def identity_translate(tiles: np.ndarray, seeds) -> np.ndarray:
    return tiles


def _darken(tiles: np.ndarray, seeds) -> np.ndarray:
    return tiles * 0.5 - 0.5


def test_a_deterministic_round_trip_is_fully_trusted(sem_crops) -> None:
    settings = TrustSettings(draws=3, tile_size=64, overlap=16, flag_tile=32, spread_threshold=0.5, cycle_threshold=0.5)
    trust = trust_map(sem_crops[0], 0, identity_translate, identity_translate, settings)
    np.testing.assert_array_equal(trust.translation, sem_crops[0])
    assert trust.spread.max() == 0 and trust.cycle_error.max() <= 1.0  # rounding to uint8 only
    flags = flag_trust(trust, settings)
    assert not flags.flagged and flags.flagged_tiles == [] and flags.tiles == 4 * 4  # 32 px cells
    halved = trust_map(sem_crops[0], 0, identity_translate, identity_translate, settings, scale_factor=0.5)
    assert halved.translation.shape == halved.spread.shape == sem_crops[0].shape  # back at the original size


def test_a_lossy_round_trip_shows_in_the_cycle_error(sem_crops) -> None:
    settings = TrustSettings(draws=2, tile_size=64, overlap=16, flag_tile=50, cycle_threshold=10.0)
    trust = trust_map(sem_crops[0], 0, _darken, identity_translate, settings)
    expected = np.abs(sem_crops[0].astype(np.float32) - trust.translation.astype(np.float32))
    np.testing.assert_allclose(trust.cycle_error, expected)
    assert trust.spread.max() == 0
    flags = flag_trust(trust, settings)
    assert flags.flagged and flags.mean_cycle_error > 10.0
    assert len(flags.flagged_tiles) == flags.tiles == 2 * 3  # 100 x 110 px in 50 px cells


def test_syndiff_draws_spread_and_draw_zero_is_the_runs_translation(tiny_checkpoints, sem_crops) -> None:
    forward = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "sem", ["cpu"], cpu_threads=1)
    backward = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "tem", ["cpu"], cpu_threads=1)
    settings = TrustSettings(draws=3, run_seed=42, tile_size=64, overlap=16, spread_threshold=0.0)
    first, second = (trust_map(image, index, forward.translate_fn, backward.translate_fn, settings)
                     for index, image in enumerate(sem_crops))
    engine = TiledTranslationEngine(forward.translate_fn, batch_size=8, run_seed=42)
    run = list(engine.translate(tile_image(image, 64, 16, 1.0) for image in sem_crops))
    np.testing.assert_array_equal(first.translation, run[0])
    np.testing.assert_array_equal(second.translation, run[1])
    for trust, image in ((first, sem_crops[0]), (second, sem_crops[1])):
        assert trust.spread.shape == trust.cycle_error.shape == image.shape
        assert trust.spread.mean() > 0.1  # other noise, another translation
    assert flag_trust(first, settings).flagged
    again = trust_map(sem_crops[0], 0, forward.translate_fn, backward.translate_fn, settings, first_draw=run[0])
    np.testing.assert_array_equal(again.spread, first.spread)  # draw 0 read from the run, not re-translated
    assert as_grey_levels(np.array([-1.0, 3.4, 300.0])).tolist() == [0, 3, 255]
    with pytest.raises(ValueError, match="first draw"):
        trust_map(sem_crops[0], 0, forward.translate_fn, backward.translate_fn, settings, first_draw=run[0][1:])


def test_bad_settings_are_named() -> None:
    with pytest.raises(TrustParameterError, match="draws"):
        TrustSettings(draws=1)
    with pytest.raises(TrustParameterError, match="spread_threshold"):
        TrustSettings(spread_threshold=-1)

"""Loading the right generator and sampling with one noise draw per image."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.syndiff.checkpoints import CheckpointNotFoundError
from axondeepsynth.syndiff.sampler import Translator
from axondeepsynth.translation.model_translation import UnknownContrastError, load_model_translation
from axondeepsynth.translation.shared_noise_sampling import translate_with_shared_noise
from axondeepsynth.translation.tiled_translation import to_unit_range


@pytest.fixture(scope="module")
def sem_tiles(real_data_dir) -> np.ndarray:
    """Five 64 px tiles of a real SEM sample in [-1, 1], shaped (5, 1, 64, 64)."""
    image = read_grayscale(sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))[0])
    tiles = [image[64 * i : 64 * (i + 1), 100:164] for i in range(5)]
    return to_unit_range(np.stack(tiles)[:, None])


def test_direction_follows_the_checkpoint_contrasts(tiny_checkpoints):
    from_tem = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "tem", ["cpu"])
    assert (from_tem.direction, from_tem.target_contrast, from_tem.epoch) == (1, "sem", 5)
    from_sem = load_model_translation(tiny_checkpoints, "tiny_exp", 2, "sem", ["cpu"])
    assert (from_sem.direction, from_sem.target_contrast, from_sem.epoch) == (2, "tem", 2)
    assert from_sem.image_size == 64


def test_missing_epoch_lists_the_available_ones(tiny_checkpoints):
    with pytest.raises(CheckpointNotFoundError, match=r"available epochs: \[2, 5\]"):
        load_model_translation(tiny_checkpoints, "tiny_exp", 3, "sem", ["cpu"])


def test_unknown_source_contrast_is_refused(tiny_checkpoints):
    with pytest.raises(UnknownContrastError, match="'bf' is neither"):
        load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "bf", ["cpu"])


def _relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest difference relative to the output scale (untrained generators output ~1e-5)."""
    return float(np.abs(a - b).max() / np.abs(b).max())


def test_tiles_of_one_image_share_noise_whatever_the_batching(tiny_checkpoints, sem_tiles):
    model = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "sem", ["cpu"], cpu_threads=1)
    tiles, seeds = sem_tiles[:3], [7, 7, 9]
    together = model.translate_fn(tiles, seeds)
    split = np.concatenate([model.translate_fn(tiles[:1], seeds[:1]), model.translate_fn(tiles[1:], seeds[1:])])
    assert together.shape == tiles.shape and np.isfinite(together).all() and np.abs(together).max() <= 1.0
    assert _relative_difference(split, together) < 1e-3
    reseeded = model.translate_fn(tiles[:1], [8])
    assert _relative_difference(reseeded, together[:1]) > 1e-2


def test_batches_split_across_two_devices_give_the_same_result(tiny_checkpoints, sem_tiles):
    one = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "tem", ["cpu"], cpu_threads=1)
    two = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "tem", ["cpu", "cpu"], cpu_threads=1)
    seeds = [1, 1, 2, 2, 3]
    assert _relative_difference(two.translate_fn(sem_tiles, seeds), one.translate_fn(sem_tiles, seeds)) < 1e-3


def test_bf16_translation_matches_fp32_with_the_same_noise(tiny_checkpoints, sem_tiles):
    fp32 = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "sem", ["cpu"], cpu_threads=1,
                                  precision="fp32")
    bf16 = load_model_translation(tiny_checkpoints, "tiny_exp", "latest", "sem", ["cpu"], cpu_threads=1,
                                  precision="bf16")
    seeds = [3, 3, 4, 4, 5]
    reference, reduced = fp32.translate_fn(sem_tiles, seeds), bf16.translate_fn(sem_tiles, seeds)
    assert reduced.dtype == np.float32 and reduced.shape == reference.shape
    assert 0 < _relative_difference(reduced, reference) < 0.05  # bf16 keeps 8 mantissa bits
    assert fp32.batch_size == bf16.batch_size == 8  # a CPU gains nothing from larger calls


def test_a_tile_alone_samples_alike_through_the_translator_and_the_shared_noise_path(tiny_checkpoints, sem_tiles):
    """Both run one reverse chain on noise drawn in one order, so a single tile with seed s gives
    the same translation whichever entry point samples it."""
    generator, _, diffusion = tiny_checkpoints.load_diffusive_generator("tiny_exp", "latest", 2)
    translator = Translator(generator, diffusion)
    tile = torch.from_numpy(sem_tiles[:1])
    alone = translator.translate(tile, seed=7)
    torch.testing.assert_close(translate_with_shared_noise(translator, tile, [7]), alone, rtol=0, atol=0)
    assert _relative_difference(translator.translate(tile, seed=8).numpy(), alone.numpy()) > 1e-2

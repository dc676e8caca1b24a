"""Training crops and validation crops from real (shrunk) SEM and TEM micrographs."""

from __future__ import annotations

import numpy as np
import pytest

from axondeepsynth.syndiff.training_data import (
    ModalityNotFoundError,
    TileSizeError,
    UnpairedCropSampler,
    centre_crops,
    check_tile_size,
    select_modalities,
)


@pytest.fixture()
def sampler(unpaired_images: dict[str, list[np.ndarray]]) -> UnpairedCropSampler:
    return UnpairedCropSampler(unpaired_images["sem"], unpaired_images["tem"], tile_size=64, seed=7)


def test_epoch_covers_the_larger_modality_and_the_other_cycles(sampler: UnpairedCropSampler, unpaired_images) -> None:
    sem_tiles = sum(-(-max(i.shape[0], 64) // 64) * -(-max(i.shape[1], 64) // 64) for i in unpaired_images["sem"])
    assert sampler.epoch_length == sem_tiles  # SEM needs more tiles than the single TEM image
    batches = list(sampler.iter_batches(epoch=0, batch_size=4))
    assert len(batches) == sem_tiles // 4
    for sem, tem in batches:
        assert sem.shape == tem.shape == (4, 1, 64, 64)
        assert sem.min() >= -1 and sem.max() <= 1 and tem.min() >= -1 and tem.max() <= 1
    # The TEM crops come from one image but are not all the same crop.
    tem_crops = np.concatenate([tem.numpy() for _, tem in batches])
    assert len({crop.tobytes() for crop in tem_crops}) > len(tem_crops) // 2


def test_original_epoch_definition_draws_one_crop_per_image(unpaired_images) -> None:
    sem, tem = unpaired_images["sem"], unpaired_images["tem"]
    original = UnpairedCropSampler(sem, tem, tile_size=64, seed=7, epoch_definition="original")
    tiles = UnpairedCropSampler(sem, tem, tile_size=64, seed=7)
    assert original.epoch_length == max(len(sem), len(tem)) < tiles.epoch_length
    assert original.num_batches(batch_size=2) == max(len(sem), len(tem)) // 2
    first = [sem_batch for sem_batch, _ in original.iter_batches(epoch=0, batch_size=1)]
    # Every SEM image gives exactly one crop: the crops differ from each other.
    assert len({crop.numpy().tobytes() for crop in first}) == len(sem)
    with pytest.raises(ValueError, match="epoch_definition"):
        UnpairedCropSampler(sem, tem, tile_size=64, seed=7, epoch_definition="crops")


def test_crops_are_pieces_of_the_source_images(sampler: UnpairedCropSampler) -> None:
    sem, _ = sampler.crop_pair(epoch=1, index=0)
    pixels = np.round((sem[0] + 1) * 127.5).astype(np.uint8)
    image = sampler.contrast1_images[sampler._slots[0][0]]
    candidates = [pixels, pixels[:, ::-1], pixels[::-1, :], pixels[::-1, ::-1]]
    found = any(
        np.array_equal(image[y : y + 64, x : x + 64], c)
        for c in candidates
        for y in range(image.shape[0] - 63)
        for x in range(image.shape[1] - 63)
    )
    assert found


def test_same_epoch_same_crops_and_ranks_split_the_epoch(sampler: UnpairedCropSampler) -> None:
    first = [b[0] for b in sampler.iter_batches(epoch=2, batch_size=2)]
    again = [b[0] for b in sampler.iter_batches(epoch=2, batch_size=2)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    next_epoch = [b[0] for b in sampler.iter_batches(epoch=3, batch_size=2)]
    assert not all(np.array_equal(a, b) for a, b in zip(first, next_epoch))
    rank0 = list(sampler.iter_batches(epoch=2, batch_size=2, rank=0, world_size=2))
    rank1 = list(sampler.iter_batches(epoch=2, batch_size=2, rank=1, world_size=2))
    assert len(rank0) == len(rank1) == sampler.epoch_length // 4
    assert not any(np.array_equal(a[0], b[0]) for a, b in zip(rank0, rank1))
    assert len(list(sampler.iter_batches(epoch=2, batch_size=2, max_batches=3))) == 3


def test_small_images_are_padded_to_the_tile(sampler: UnpairedCropSampler) -> None:
    assert sampler.contrast1_images[-1].shape == (64, 64)


def test_centre_crops_are_fixed_and_centred(unpaired_images) -> None:
    crops = centre_crops(unpaired_images["tem"], 64)
    image = unpaired_images["tem"][0]
    y, x = (image.shape[0] - 64) // 2, (image.shape[1] - 64) // 2
    np.testing.assert_allclose(crops[0, 0].numpy(), image[y : y + 64, x : x + 64] / 127.5 - 1, atol=1e-6)
    assert centre_crops(unpaired_images["sem"], 64, limit=3).shape == (3, 1, 64, 64)


@pytest.mark.parametrize("tile", [48, 100, 32])
def test_tile_sizes_that_are_not_multiples_of_32_are_rejected(tile: int, unpaired_images) -> None:
    with pytest.raises(TileSizeError, match="multiple of 32"):
        check_tile_size(tile, unpaired_images["sem"], "syndiff_train")


def test_tile_larger_than_every_image_is_rejected(unpaired_images) -> None:
    with pytest.raises(TileSizeError, match="larger than every image of syndiff_train.*at most 96"):
        check_tile_size(128, unpaired_images["tem"], "syndiff_train")
    check_tile_size(96, unpaired_images["tem"], "syndiff_train")


def test_missing_modality_names_the_source_and_what_exists(unpaired_images) -> None:
    with pytest.raises(ModalityNotFoundError, match=r"'bf' is not in dataset_train.hdf5.*\['sem', 'tem'\]"):
        select_modalities(unpaired_images, "sem", "bf", "dataset_train.hdf5")
    sem, tem = select_modalities(unpaired_images, "sem", "tem", "dataset_train.hdf5")
    assert sem is unpaired_images["sem"] and tem is unpaired_images["tem"]

"""Unpaired training crops and fixed validation crops for SynDiff, from whole uint8 images.

The HDF5 sets hold whole scaled images per modality (``/<modality>/<i>``, uint8). Training
draws random square crops of the tile size with random flips, independently per modality (the
data are unpaired), scaled to [-1, 1]. With the ``tiles`` epoch definition one epoch offers as
many crop pairs as tiles are needed to cover the larger modality once; with ``original`` (the
published SynDiff's, whose epoch is one pass over its images) one random crop per image of the
modality with more images. The modality with fewer slots cycles. Every random choice of
a crop depends only on (seed, epoch, index), so a resumed run and every DDP rank see exactly
what an uninterrupted single-process run would.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from axondeepsynth.imaging.tiling import pad_to_tile
from axondeepsynth.imaging.unit_range import to_unit_range

logger = logging.getLogger(__name__)

EPOCH_DEFINITIONS = ("tiles", "original")
"""What one epoch is: one crop per covering tile of every image, or one crop per image."""

TILE_MULTIPLE = 32
"""The NCSN++ U-Net halves the tile five times: tile sizes must be multiples of 32 pixels."""


class TileSizeError(ValueError):
    """The tile size cannot be used with these images or this network."""


class ModalityNotFoundError(KeyError):
    """A configured modality (contrast) is not a group of the HDF5 set."""

    def __str__(self) -> str:
        return str(self.args[0])


def select_modalities(
    images_by_modality: Mapping[str, Sequence[np.ndarray]], contrast1: str, contrast2: str, source: str
) -> tuple[Sequence[np.ndarray], Sequence[np.ndarray]]:
    """The image lists of ``contrast1`` and ``contrast2``, or an error naming ``source`` (the
    catalog entry or file) and the modalities it does have."""
    for contrast in (contrast1, contrast2):
        if contrast not in images_by_modality:
            raise ModalityNotFoundError(
                f"Modality '{contrast}' is not in {source} (it holds: {sorted(images_by_modality)}); set "
                "syndiff_training.contrast1/contrast2 to modalities that exist, or rebuild the HDF5 "
                "sets with data_engineering for these modalities."
            )
        if len(images_by_modality[contrast]) == 0:
            raise ModalityNotFoundError(f"Modality '{contrast}' in {source} holds no images.")
    return images_by_modality[contrast1], images_by_modality[contrast2]


def check_tile_size(tile_size: int, images: Sequence[np.ndarray], source: str) -> None:
    """Reject tile sizes the network cannot take or that exceed every image of ``source``."""
    if tile_size < 2 * TILE_MULTIPLE or tile_size % TILE_MULTIPLE:
        raise TileSizeError(
            f"image_size {tile_size} px is not a multiple of {TILE_MULTIPLE} of at least "
            f"{2 * TILE_MULTIPLE}; choose e.g. 64, 128 or 256 in syndiff_training.model_config.image_size."
        )
    if not any(min(image.shape[:2]) >= tile_size for image in images):
        largest = max(min(image.shape[:2]) for image in images)
        raise TileSizeError(
            f"image_size {tile_size} px is larger than every image of {source} (largest shorter side "
            f"{largest} px); choose a tile size of at most {largest // TILE_MULTIPLE * TILE_MULTIPLE} px."
        )


def _tiles_to_cover(image: np.ndarray, tile_size: int) -> int:
    return math.ceil(image.shape[0] / tile_size) * math.ceil(image.shape[1] / tile_size)


def _random_crop(image: np.ndarray, tile_size: int, rng: np.random.Generator) -> np.ndarray:
    """A random tile_size x tile_size crop, flipped left-right and up-down with probability 1/2."""
    y = int(rng.integers(0, image.shape[0] - tile_size + 1))
    x = int(rng.integers(0, image.shape[1] - tile_size + 1))
    crop = image[y : y + tile_size, x : x + tile_size]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    if rng.random() < 0.5:
        crop = crop[::-1, :]
    return crop


@dataclass
class UnpairedCropSampler:
    """Random crop pairs (contrast1, contrast2) of ``tile_size`` pixels for training.

    Args:
        contrast1_images, contrast2_images: whole uint8 images of each modality; images smaller
            than the tile are padded (reflect) at the bottom/right.
        tile_size: crop side in pixels.
        seed: base of every random choice (crop positions, flips, epoch order).
        epoch_definition: one of :data:`EPOCH_DEFINITIONS` (see the module docstring).
    """

    contrast1_images: Sequence[np.ndarray]
    contrast2_images: Sequence[np.ndarray]
    tile_size: int
    seed: int
    epoch_definition: str = "tiles"
    _slots: tuple[list[int], list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.epoch_definition not in EPOCH_DEFINITIONS:
            raise ValueError(f"epoch_definition must be one of {EPOCH_DEFINITIONS}, got {self.epoch_definition!r}.")
        self.contrast1_images = [pad_to_tile(image, self.tile_size)[0] for image in self.contrast1_images]
        self.contrast2_images = [pad_to_tile(image, self.tile_size)[0] for image in self.contrast2_images]
        self._slots = (self._image_slots(self.contrast1_images), self._image_slots(self.contrast2_images))

    def _image_slots(self, images: Sequence[np.ndarray]) -> list[int]:
        """Image index repeated once per crop an epoch draws from that image."""
        if self.epoch_definition == "original":
            return list(range(len(images)))
        return [i for i, image in enumerate(images) for _ in range(_tiles_to_cover(image, self.tile_size))]

    @property
    def epoch_length(self) -> int:
        """Crop pairs per epoch (before sharding and batching)."""
        return max(len(self._slots[0]), len(self._slots[1]))

    def num_batches(self, batch_size: int, world_size: int = 1, max_batches: int | None = None) -> int:
        """Batches each rank runs per epoch: equal on every rank so collective calls stay in step."""
        batches = self.epoch_length // world_size // batch_size
        if batches == 0:
            raise TileSizeError(
                f"One epoch holds {self.epoch_length} crops of {self.tile_size} px, fewer than "
                f"batch_size {batch_size} x world_size {world_size}; lower batch_size or the tile size."
            )
        return batches if max_batches is None else min(batches, max_batches)

    def crop_pair(self, epoch: int, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Crop pair ``index`` of ``epoch`` as float32 (1, tile, tile) arrays in [-1, 1]."""
        rng = np.random.default_rng([self.seed, epoch, index])
        crops = []
        for images, slots in zip((self.contrast1_images, self.contrast2_images), self._slots):
            image = images[slots[index % len(slots)]]
            crops.append(to_unit_range(_random_crop(image, self.tile_size, rng))[None])
        return crops[0], crops[1]

    def iter_batches(
        self, epoch: int, batch_size: int, rank: int = 0, world_size: int = 1, max_batches: int | None = None
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Yield this rank's (contrast1, contrast2) batches of ``epoch``, each (B, 1, tile, tile).

        The epoch's crops are shuffled with (seed, epoch) and dealt round-robin to the ranks, like
        ``DistributedSampler`` with ``drop_last``.
        """
        order = np.random.default_rng([self.seed, epoch]).permutation(self.epoch_length)[rank::world_size]
        for b in range(self.num_batches(batch_size, world_size, max_batches)):
            pairs = [self.crop_pair(epoch, int(i)) for i in order[b * batch_size : (b + 1) * batch_size]]
            yield (
                torch.from_numpy(np.stack([p[0] for p in pairs])),
                torch.from_numpy(np.stack([p[1] for p in pairs])),
            )


def centre_crops(images: Sequence[np.ndarray], tile_size: int, limit: int | None = None) -> torch.Tensor:
    """Fixed centre crops (N, 1, tile, tile) in [-1, 1] of the first ``limit`` images, so that
    validation figures and metrics compare the same pixels from epoch to epoch."""
    crops = []
    for image in list(images)[:limit]:
        padded = pad_to_tile(image, tile_size)[0]
        y = (padded.shape[0] - tile_size) // 2
        x = (padded.shape[1] - tile_size) // 2
        crops.append(to_unit_range(padded[y : y + tile_size, x : x + tile_size])[None])
    return torch.from_numpy(np.stack(crops))

"""An image (and its labels) to be cut into overlapping square tiles, read only when called.

Sizes are pixels. The image is scaled by ``scale_factor``, padded at the bottom/right (reflect) up
to one tile when smaller, and cut at :func:`~axondeepsynth.imaging.tiling.iter_tile_origins`.
A tile's ``location`` is (x, y) = (column, row) of its top-left corner in the scaled, padded
image, as stored in the tile HDF5 files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from axondeepsynth.imaging.image_checks import read_checked_image, read_matching_labels
from axondeepsynth.imaging.image_io import DEFAULT_READ_OPTIONS, ReadOptions
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import ScaleFactor, rescale_image, resize_labels_to
from axondeepsynth.imaging.scaled_image_source import factor_attr
from axondeepsynth.imaging.tiling import iter_tile_origins, pad_to_tile


@dataclass(frozen=True)
class Tile:
    """One square tile: uint8 intensities, labels in {0,1,2} (or ``None``) and its (x, y) location."""

    location: tuple[int, int]
    image: np.ndarray
    labels: np.ndarray | None


@dataclass(frozen=True)
class OriginalImageInfo:
    """What is needed to put translated tiles back into an image of the original size.

    ``original_shape`` is (h, w) on disk, ``scaled_shape`` after scaling, ``padding`` the
    (bottom, right) pixels added to reach one tile; ``label_path`` is ``""`` without labels;
    ``intensity`` says how the source's intensities were mapped to 0-255 (JSON, "" if not read).
    """

    path: str
    label_path: str
    case_id: str
    original_shape: tuple[int, int]
    scaled_shape: tuple[int, int]
    padding: tuple[int, int]
    scale_factor: ScaleFactor
    intensity: str = ""

    def attrs(self) -> dict[str, Any]:
        """The fields as HDF5 attributes (tuples become lists)."""
        return {
            "path": self.path,
            "label_path": self.label_path,
            "case_id": self.case_id,
            "original_shape": list(self.original_shape),
            "scaled_shape": list(self.scaled_shape),
            "padding": list(self.padding),
            "scale_factor": factor_attr(self.scale_factor),
            "intensity": self.intensity,
        }


@dataclass(frozen=True)
class TiledImage:
    """A scaled, padded image and its labels in memory, cut into tiles on iteration."""

    info: OriginalImageInfo
    image: np.ndarray
    labels: np.ndarray | None
    tile_size: int
    overlap: int

    def tiles(self) -> Iterator[Tile]:
        """Yield the tiles row by row (views into the padded arrays, no copies)."""
        size = self.tile_size
        for y, x in iter_tile_origins(self.image.shape, size, self.overlap):
            window = (slice(y, y + size), slice(x, x + size))
            labels = self.labels[window] if self.labels is not None else None
            yield Tile(location=(x, y), image=self.image[window], labels=labels)


@dataclass(frozen=True)
class TiledImageSource:
    """One source image to tile; calling it reads, scales and pads the image and its labels.

    Memory: the uint8 image, its scaled and padded uint8 copies and the labels alike; no float
    copy of the whole image is made (see :mod:`~axondeepsynth.imaging.rescaling`).
    """

    record: ImageRecord
    scale_factor: ScaleFactor
    tile_size: int
    overlap: int
    options: ReadOptions = DEFAULT_READ_OPTIONS

    def __call__(self) -> TiledImage:
        original, mapping = read_checked_image(self.record, self.options)
        original_shape = (int(original.shape[0]), int(original.shape[1]))
        labels = read_matching_labels(self.record, original_shape, self.options)
        scaled = rescale_image(original, self.scale_factor)
        padded, padding = pad_to_tile(scaled, self.tile_size)
        padded_labels = None
        if labels is not None:
            padded_labels, _ = pad_to_tile(resize_labels_to(labels, scaled.shape), self.tile_size)
        info = OriginalImageInfo(
            path=str(self.record.path),
            label_path=str(self.record.label_path or ""),
            case_id=self.record.sample,
            original_shape=original_shape,
            scaled_shape=(int(scaled.shape[0]), int(scaled.shape[1])),
            padding=padding,
            scale_factor=self.scale_factor,
            intensity=json.dumps(mapping.as_dict()),
        )
        return TiledImage(info, padded, padded_labels, self.tile_size, self.overlap)

"""Where square tiles go on an image, and padding for images smaller than one tile.

All sizes are in pixels of the (already scaled) image. Tiles of one image overlap by ``overlap``
pixels so that stitching can blend seams away; the last tile of each row/column is aligned with
the image edge rather than running past it, so no tile ever needs padding except when the whole
image is smaller than a tile.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def _check_tile_and_overlap(tile: int, overlap: int) -> None:
    if tile < 1:
        raise ValueError(f"tile size must be a positive number of pixels, got tile={tile}.")
    if not 0 <= overlap < tile:
        raise ValueError(
            f"overlap must be at least 0 and smaller than the tile size ({tile} px), got overlap={overlap}."
        )


def tile_origins(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets (pixels) of the tiles covering ``length`` pixels along one axis.

    The first origin is 0 and the last is ``length - tile``; consecutive tiles overlap by at
    least ``overlap`` pixels (the last one may overlap more, to stay inside the image). A
    ``length`` up to ``tile`` gives ``[0]``: pad such images with :func:`pad_to_tile` first.
    """
    _check_tile_and_overlap(tile, overlap)
    if length <= tile:
        return [0]
    stride = tile - overlap
    origins = list(range(0, length - tile, stride))
    origins.append(length - tile)
    return origins


def iter_tile_origins(shape: tuple[int, ...], tile: int, overlap: int) -> Iterator[tuple[int, int]]:
    """Yield the (y, x) top-left corners (row, column in pixels) of the tiles covering a 2-D
    ``shape``, row by row."""
    for y in tile_origins(shape[0], tile, overlap):
        for x in tile_origins(shape[1], tile, overlap):
            yield y, x


def pad_to_tile(image: np.ndarray, tile: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Pad ``image`` at the bottom and right (reflect) so both sides are at least ``tile`` pixels.

    Returns the padded image and the padding ``(pad_bottom, pad_right)`` in pixels, which the
    stitcher crops away again. Images already as large as a tile are returned unchanged with
    ``(0, 0)``. Extra trailing axes (channels) are not padded. A 1-pixel-wide image cannot be
    reflected and is padded by repeating its edge.
    """
    if tile < 1:
        raise ValueError(f"tile size must be a positive number of pixels, got tile={tile}.")
    pad_bottom = max(0, tile - image.shape[0])
    pad_right = max(0, tile - image.shape[1])
    if pad_bottom == 0 and pad_right == 0:
        return image, (0, 0)
    widths = [(0, pad_bottom), (0, pad_right)] + [(0, 0)] * (image.ndim - 2)
    mode = "reflect" if min(image.shape[:2]) > 1 else "edge"
    return np.pad(image, widths, mode=mode), (pad_bottom, pad_right)

"""The tiles of one image to translate, and where they go back.

An :class:`ImageTiles` describes one source image by its geometry (:class:`TileLayout`) and a lazy
iterator over its uint8 tiles, so the translation engine never needs more than the tiles of the
current batch. Tiles come from an image in memory that is scaled, padded and cut here
(:func:`tile_image`), from a source file tiled on the fly or from the tile set of the
data_engineering pipeline (:func:`image_tiles_from`, which adapts their ``Tile`` streams).

Sizes are in pixels. ``original_shape`` is the image as stored on disk; ``scaled_shape`` after
multiplying by the scale factor; ``padded_shape`` after padding the bottom/right up to one tile.
Tile origins are (y, x) = (row, column) of the top-left corner in the padded image.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from axondeepsynth.imaging.rescaling import rescale_image
from axondeepsynth.imaging.tiled_image_source import OriginalImageInfo, Tile
from axondeepsynth.imaging.tiling import iter_tile_origins, pad_to_tile


@dataclass(frozen=True)
class TileLayout:
    """Geometry of one tiled image (pixels)."""

    original_shape: tuple[int, int]
    scaled_shape: tuple[int, int]
    tile_size: int
    tile_count: int

    @property
    def padded_shape(self) -> tuple[int, int]:
        """Scaled shape padded at the bottom/right to at least one tile per side."""
        return max(self.scaled_shape[0], self.tile_size), max(self.scaled_shape[1], self.tile_size)


@dataclass
class ImageTiles:
    """One image's layout and its tiles, yielded lazily as ``(y, x, uint8 tile)``."""

    layout: TileLayout
    tiles: Iterable[tuple[int, int, np.ndarray]]


def _cut(padded: np.ndarray, origins: list[tuple[int, int]], tile: int) -> Iterator[tuple[int, int, np.ndarray]]:
    for y, x in origins:
        yield y, x, padded[y : y + tile, x : x + tile]


def image_tiles_from(info: OriginalImageInfo, tiles: Iterable[Tile], tile_size: int, tile_count: int) -> ImageTiles:
    """Adapt a stream of :class:`~axondeepsynth.imaging.tiled_image_source.Tile` (location (x, y))
    and its image's geometry to :class:`ImageTiles` (origins (y, x))."""
    layout = TileLayout(
        original_shape=tuple(info.original_shape),
        scaled_shape=tuple(info.scaled_shape),
        tile_size=tile_size,
        tile_count=tile_count,
    )
    return ImageTiles(layout=layout, tiles=((tile.location[1], tile.location[0], tile.image) for tile in tiles))


def tile_image(image: np.ndarray, tile_size: int, overlap: int, scale_factor: float) -> ImageTiles:
    """Scale a 2-D uint8 image (anti-aliased), pad it to at least one tile and cut overlapping tiles.

    Args:
        image: uint8 (H, W) intensities 0-255.
        tile_size: tile side in pixels of the scaled image.
        overlap: pixels shared by neighbouring tiles (0 <= overlap < tile_size).
        scale_factor: multiplies the image size before tiling (0.5 halves it).
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"tile_image needs a 2-D uint8 image, got {image.dtype} {image.shape}.")
    scaled = rescale_image(image, scale_factor) if scale_factor != 1 else image
    padded, _ = pad_to_tile(scaled, tile_size)
    origins = list(iter_tile_origins(padded.shape, tile_size, overlap))
    layout = TileLayout(
        original_shape=(int(image.shape[0]), int(image.shape[1])),
        scaled_shape=(int(scaled.shape[0]), int(scaled.shape[1])),
        tile_size=tile_size,
        tile_count=len(origins),
    )
    return ImageTiles(layout=layout, tiles=_cut(padded, origins, tile_size))

"""Blend overlapping translated tiles back into one image without seams.

Each tile is weighted by a smooth window that is largest in its centre and small (but not zero)
at its borders, and every pixel is divided by the total weight it received. Where tiles overlap,
the pixels near a tile's centre dominate, so the seams of pasting tiles over each other vanish;
where only one tile covers a pixel (image borders) its value is kept as is, because the weight
floor is positive. Tiles that are identical to the image they were cut from therefore stitch back
to exactly that image (up to float rounding).

Values are floats in whatever range the caller uses ([-1, 1] for SynDiff outputs); positions and
sizes are in pixels of the (scaled, padded) image the tiles were cut from.
"""

from __future__ import annotations

import logging

import numpy as np

logger = logging.getLogger(__name__)

WINDOW_FLOOR = 0.05
"""Smallest weight of the blend window (at a tile's outermost pixels), relative to 1 in its centre."""


class TileGridError(ValueError):
    """Tiles handed to a :class:`TileAccumulator` do not form a complete grid over the image."""


def blend_window_1d(tile: int, floor: float = WINDOW_FLOOR) -> np.ndarray:
    """Raised-cosine weights of one tile side: ``floor`` at the edges, 1 in the middle.

    Args:
        tile: tile side in pixels.
        floor: weight at the outermost pixels, in (0, 1]; a positive floor keeps border pixels
            that no other tile covers.
    """
    if tile < 1:
        raise ValueError(f"tile size must be a positive number of pixels, got tile={tile}.")
    if not 0.0 < floor <= 1.0:
        raise ValueError(f"blend window floor must be in (0, 1], got floor={floor}.")
    centres = (np.arange(tile, dtype=np.float64) + 0.5) / tile
    return (floor + (1.0 - floor) * np.sin(np.pi * centres) ** 2).astype(np.float32)


def blend_window(tile: int, floor: float = WINDOW_FLOOR) -> np.ndarray:
    """Separable 2-D blend window (``tile`` x ``tile`` float32), the outer product of
    :func:`blend_window_1d` with itself."""
    side = blend_window_1d(tile, floor)
    return np.outer(side, side)


class TileAccumulator:
    """Weighted sum of square tiles over one image, normalised into the stitched image.

    Memory: one float32 image of ``shape`` (a 10k x 10k image takes 400 MB) plus one tile-sized
    window. The per-pixel weight total is not stored: tiles always come as a grid (every row
    origin combined with every column origin, see :func:`axondeepsynth.imaging.tiling.iter_tile_origins`)
    and the window is separable, so the total weight is the outer product of two 1-D profiles
    rebuilt from the origins in :meth:`result`.
    """

    def __init__(self, shape: tuple[int, int], tile: int, floor: float = WINDOW_FLOOR) -> None:
        """Args:
        shape: (height, width) in pixels of the image the tiles cover (scaled and padded).
        tile: tile side in pixels; tiles must fit inside ``shape``.
        floor: smallest blend weight, see :func:`blend_window_1d`.
        """
        if shape[0] < tile or shape[1] < tile:
            raise ValueError(
                f"image shape {tuple(shape)} is smaller than one tile ({tile} px); pad it first "
                "(axondeepsynth.imaging.tiling.pad_to_tile)."
            )
        self.shape = (int(shape[0]), int(shape[1]))
        self.tile = int(tile)
        self._side = blend_window_1d(tile, floor)
        self._window = np.outer(self._side, self._side)
        self._sum: np.ndarray | None = np.zeros(self.shape, dtype=np.float32)
        self._origins: set[tuple[int, int]] = set()

    def add(self, y: int, x: int, tile: np.ndarray) -> None:
        """Add one tile whose top-left corner is at row ``y``, column ``x`` (pixels)."""
        if self._sum is None:
            raise RuntimeError("TileAccumulator.result() was already called; create a new accumulator.")
        if tile.shape != (self.tile, self.tile):
            raise ValueError(f"tile at (y={y}, x={x}) has shape {tile.shape}, expected ({self.tile}, {self.tile}).")
        if not (0 <= y <= self.shape[0] - self.tile and 0 <= x <= self.shape[1] - self.tile):
            raise TileGridError(f"tile at (y={y}, x={x}) runs outside the image of shape {self.shape}.")
        if (y, x) in self._origins:
            raise TileGridError(f"tile at (y={y}, x={x}) was added twice.")
        self._origins.add((y, x))
        self._sum[y : y + self.tile, x : x + self.tile] += tile * self._window

    def _axis_weight(self, origins: list[int], length: int) -> np.ndarray:
        weight = np.zeros(length, dtype=np.float32)
        for origin in origins:
            weight[origin : origin + self.tile] += self._side
        return weight

    def result(self) -> np.ndarray:
        """The stitched float32 image of ``shape``; call once, after every tile of the grid.

        Raises:
            TileGridError: tiles are missing from the grid or leave pixels uncovered.
        """
        if self._sum is None:
            raise RuntimeError("TileAccumulator.result() was already called; create a new accumulator.")
        rows = sorted({y for y, _ in self._origins})
        cols = sorted({x for _, x in self._origins})
        if len(self._origins) != len(rows) * len(cols):
            raise TileGridError(
                f"{len(rows) * len(cols) - len(self._origins)} tile(s) of the {len(rows)} x {len(cols)} "
                "grid were never added; every row origin must be combined with every column origin."
            )
        row_weight = self._axis_weight(rows, self.shape[0])
        col_weight = self._axis_weight(cols, self.shape[1])
        if not (row_weight.all() and col_weight.all()):
            raise TileGridError(f"the tiles added leave pixels of the {self.shape} image uncovered.")
        stitched, self._sum = self._sum, None
        stitched /= row_weight[:, None]
        stitched /= col_weight[None, :]
        return stitched

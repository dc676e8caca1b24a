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
from collections.abc import Callable

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
    """Weighted sum of square tiles over one image, normalised into the stitched image band by band.

    Tiles come as a grid, row of origins by row of origins (the order of
    :func:`axondeepsynth.imaging.tiling.iter_tile_origins`). Once a tile of a new row of origins
    arrives, every image row above it has received all its tiles: those rows are normalised and
    written to the result (through ``convert``, e.g. to uint8) and dropped. So the float32 sum is
    one tile high, whatever the image size: a 200-Mpx slide stitches into its uint8 result plus a
    few tens of MB, never a whole-image float copy. The per-pixel weight total is not stored: the
    window is separable, so it is the outer product of two 1-D profiles rebuilt from the origins.
    """

    def __init__(self, shape: tuple[int, int], tile: int, floor: float = WINDOW_FLOOR,
                 convert: Callable[[np.ndarray], np.ndarray] | None = None, dtype: type = np.float32) -> None:
        """Args:
        shape: (height, width) in pixels of the image the tiles cover (scaled and padded).
        tile: tile side in pixels; tiles must fit inside ``shape``.
        floor: smallest blend weight, see :func:`blend_window_1d`.
        convert: maps a band of stitched float32 rows to the result's ``dtype`` (may work in
            place); ``None`` keeps floats.
        dtype: the result's dtype (``np.uint8`` with a converter to 0-255).
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
        self._convert = convert
        self._result: np.ndarray | None = np.empty(self.shape, dtype=dtype)
        self._band = np.zeros((self.tile, self.shape[1]), dtype=np.float32)
        self._band_weight = np.zeros(self.tile, dtype=np.float32)
        self._band_top = 0
        self._rows: list[int] = []
        self._row_columns: set[int] = set()
        self._columns: set[int] | None = None
        self._column_weight: np.ndarray | None = None

    def add(self, y: int, x: int, tile: np.ndarray) -> None:
        """Add one tile whose top-left corner is at row ``y``, column ``x`` (pixels)."""
        if self._result is None:
            raise RuntimeError("TileAccumulator.result() was already called; create a new accumulator.")
        if tile.shape != (self.tile, self.tile):
            raise ValueError(f"tile at (y={y}, x={x}) has shape {tile.shape}, expected ({self.tile}, {self.tile}).")
        if not (0 <= y <= self.shape[0] - self.tile and 0 <= x <= self.shape[1] - self.tile):
            raise TileGridError(f"tile at (y={y}, x={x}) runs outside the image of shape {self.shape}.")
        if not self._rows or y > self._rows[-1]:
            self._start_row(y)
        elif y < self._rows[-1]:
            raise TileGridError(f"tile at (y={y}, x={x}) comes after the row of origins y={self._rows[-1]}; "
                                "tiles must come row by row (iter_tile_origins order).")
        if x in self._row_columns:
            raise TileGridError(f"tile at (y={y}, x={x}) was added twice.")
        self._row_columns.add(x)
        self._band[:, x : x + self.tile] += tile * self._window

    def _close_row(self) -> None:
        """Check the row of origins just finished against the first one (the grid's columns)."""
        if self._columns is None:
            self._columns = set(self._row_columns)
            self._column_weight = self._axis_weight(sorted(self._columns), self.shape[1])
        elif self._row_columns != self._columns:
            raise TileGridError(
                f"{len(self._columns ^ self._row_columns)} tile(s) of the row of origins y={self._rows[-1]} were "
                "never added; every row origin must be combined with every column origin."
            )

    def _start_row(self, y: int) -> None:
        if not self._rows and y != 0:
            raise TileGridError(f"the first tiles start at row {y}: the rows above them of the {self.shape} image "
                                "stay uncovered.")
        if self._rows:
            self._close_row()
            self._flush(y)
        self._rows.append(y)
        self._row_columns = set()
        self._band_weight += self._side

    def _flush(self, until: int) -> None:
        """Normalise and hand over the image rows above ``until`` (they received all their tiles)."""
        count = until - self._band_top
        if count > self.tile or not self._band_weight[:count].all() or not self._column_weight.all():
            raise TileGridError(f"the tiles added leave pixels of the {self.shape} image uncovered.")
        rows = self._band[:count] / self._band_weight[:count, None]
        rows /= self._column_weight[None, :]
        self._result[self._band_top : until] = rows if self._convert is None else self._convert(rows)
        self._band[: self.tile - count] = self._band[count:]
        self._band[self.tile - count :] = 0.0
        self._band_weight[: self.tile - count] = self._band_weight[count:]
        self._band_weight[self.tile - count :] = 0.0
        self._band_top = until

    def _axis_weight(self, origins: list[int], length: int) -> np.ndarray:
        weight = np.zeros(length, dtype=np.float32)
        for origin in origins:
            weight[origin : origin + self.tile] += self._side
        return weight

    def result(self) -> np.ndarray:
        """The stitched image of ``shape`` (converted by ``convert``); call once, after every tile.

        Raises:
            TileGridError: tiles are missing from the grid or leave pixels uncovered.
        """
        if self._result is None:
            raise RuntimeError("TileAccumulator.result() was already called; create a new accumulator.")
        if not self._rows:
            raise TileGridError("no tile was added; every row origin must be combined with every column origin.")
        self._close_row()
        self._flush(self.shape[0])
        stitched, self._result = self._result, None
        return stitched

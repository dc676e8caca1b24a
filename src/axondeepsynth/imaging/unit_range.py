"""uint8 intensities <-> the [-1, 1] float range SynDiff works in, defined once."""

from __future__ import annotations

import numpy as np

UINT8_HALF_RANGE = 127.5
"""255 / 2: ``x / 127.5 - 1`` maps 0-255 onto [-1, 1]."""


def to_unit_range(values: np.ndarray) -> np.ndarray:
    """uint8 intensities 0-255 -> float32 in [-1, 1]."""
    return values.astype(np.float32) / UINT8_HALF_RANGE - 1.0


def to_uint8_in_place(values: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] -> uint8 0-255 (rounded, clipped). Works in place: ``values`` is
    overwritten, so a whole-slide image needs no second float copy."""
    values += 1.0
    values *= UINT8_HALF_RANGE
    np.rint(values, out=values)
    np.clip(values, 0, 255, out=values)
    return values.astype(np.uint8)

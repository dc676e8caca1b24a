"""The label encodings the project reads and writes, defined once.

Class maps (nnU-Net's labels, and every label array the project passes around): 0 background,
1 myelin, 2 axon. AxonDeepSeg masks on disk: a binary 0/255 mask per class, and the combined mask
0 background / 127 myelin / 255 axon (other tools write myelin as 128: readers accept both, and
threshold halfway between the nominal values to absorb what resampling leaves in between).
"""

from __future__ import annotations

import numpy as np

BACKGROUND, MYELIN, AXON = 0, 1, 2
CLASS_VALUES = {"background": BACKGROUND, "myelin": MYELIN, "axon": AXON}
"""nnU-Net's ``dataset.json`` ``labels``."""
CLASS_MAP_VALUES = frozenset(CLASS_VALUES.values())

MASK_ON = 255
"""Foreground of a binary AxonDeepSeg mask (``_seg-axon``, ``_seg-myelin``)."""
COMBINED_MYELIN, COMBINED_AXON = 127, 255
COMBINED_MASK_VALUES = frozenset({BACKGROUND, COMBINED_MYELIN, 128, COMBINED_AXON})
"""Values of a combined mask (``_seg-axonmyelin``), myelin as 127 or 128."""
COMBINED_MYELIN_THRESHOLD, COMBINED_AXON_THRESHOLD = 64, 192
"""A combined mask's grey value at or above these is myelin, axon."""

MASK_SUFFIXES = ("_seg-axon", "_seg-myelin", "_seg-axonmyelin")

_COMBINED = np.array([BACKGROUND, COMBINED_MYELIN, COMBINED_AXON], np.uint8)


def combined_mask(labels: np.ndarray) -> np.ndarray:
    """AxonDeepSeg's combined mask (0 / 127 / 255) of a 0/1/2 class map."""
    return _COMBINED[labels]


def class_map_from_combined(pixels: np.ndarray) -> np.ndarray:
    """The 0/1/2 class map of an 8-bit combined mask (myelin 127 or 128, stray values tolerated)."""
    labels = np.zeros(pixels.shape, dtype=np.uint8)
    labels[pixels >= COMBINED_MYELIN_THRESHOLD] = MYELIN
    labels[pixels >= COMBINED_AXON_THRESHOLD] = AXON
    return labels


def axondeepseg_masks(labels: np.ndarray) -> dict[str, np.ndarray]:
    """AxonDeepSeg's three masks of a 0/1/2 class map, keyed by file-name suffix."""
    return {
        "_seg-axon": np.where(labels == AXON, MASK_ON, 0).astype(np.uint8),
        "_seg-myelin": np.where(labels == MYELIN, MASK_ON, 0).astype(np.uint8),
        "_seg-axonmyelin": combined_mask(labels),
    }

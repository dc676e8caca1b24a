"""Recognise label maps that ended up among the images meant for training or translation.

Segmentation masks saved next to micrographs (AxonDeepSeg ``*_seg-axonmyelin-manual.png``,
nnU-Net ``labelsTr/``) would otherwise be learnt as a third "modality" of flat grey blobs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from axondeepsynth.imaging.label_values import CLASS_MAP_VALUES, COMBINED_MASK_VALUES

LABEL_NAME_MARKER = "_seg-"
LABEL_FOLDERS = frozenset({"labelsTr", "labelsTs"})

# Value sets a label map uses: nnU-Net class maps and AxonDeepSeg masks (myelin 127 or 128).
_LABEL_VALUE_SETS = (CLASS_MAP_VALUES, COMBINED_MASK_VALUES)
_MAX_LABEL_VALUES = 3
_SAMPLE_PIXELS = 1 << 20


class LabelMapAmongImagesError(ValueError):
    """A file given as an image is a segmentation label map."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"'{path}' looks like a label map, not an image ({reason}). Move label maps under a "
            "folder listed in exclude_dirs (e.g. derivatives/) or remove them from the image folder."
        )


def is_label_path(path: Path) -> bool:
    """True when the file name or its folder says it holds labels (``_seg-``, ``labelsTr``)."""
    return LABEL_NAME_MARKER in path.name or any(part in LABEL_FOLDERS for part in path.parts)


def _as_8_bit(values: np.ndarray) -> frozenset[int]:
    """Distinct integer values brought to 8 bits by their effective bit depth (65535 -> 255)."""
    top = 2 ** max(8, int(values.max()).bit_length()) - 1
    return frozenset(int(round(int(v) * 255 / top)) for v in values)


def looks_like_label_map(pixels: np.ndarray) -> bool:
    """True when an image's stored values (any integer dtype) are at most 3 distinct values, all of
    {0,1,2} or of {0,127/128,255} (also after scaling a wider mask by its bit depth).

    Run on the values as stored, before any intensity mapping: a dim 16-bit micrograph (values
    0-600) has hundreds of levels even though a /257 conversion would leave it three. A
    micrograph has hundreds of grey levels; even a blank or saturated one has noise. A single
    value (a blank image) also counts, since it carries nothing to learn either.
    """
    step = max(1, int(np.sqrt(pixels.size / _SAMPLE_PIXELS)))
    if np.unique(np.asarray(pixels[::step, ::step])).size > _MAX_LABEL_VALUES:
        return False
    values = np.unique(pixels)
    if values.size > _MAX_LABEL_VALUES:
        return False
    if values.size == 1:
        return True
    if not np.issubdtype(values.dtype, np.integer):
        return False
    present = frozenset(int(v) for v in values)
    return any(present <= allowed or _as_8_bit(values) <= allowed for allowed in _LABEL_VALUE_SETS)


def refuse_label_map(path: Path, pixels: np.ndarray) -> None:
    """Raise :class:`LabelMapAmongImagesError` when ``pixels`` read from ``path`` look like labels."""
    if looks_like_label_map(pixels):
        values = ", ".join(str(int(v)) for v in np.unique(pixels))
        raise LabelMapAmongImagesError(path, f"it only holds the values {values}")

"""Recognise label maps that ended up among the images meant for training or translation.

Segmentation masks saved next to micrographs (AxonDeepSeg ``*_seg-axonmyelin-manual.png``,
nnU-Net ``labelsTr/``) would otherwise be learnt as a third "modality" of flat grey blobs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

LABEL_NAME_MARKER = "_seg-"
LABEL_FOLDERS = frozenset({"labelsTr", "labelsTs"})

# Value sets a label map uses: nnU-Net class maps and AxonDeepSeg masks (myelin 127 or 128).
_LABEL_VALUE_SETS = (frozenset({0, 1, 2}), frozenset({0, 127, 128, 255}))
_MAX_LABEL_VALUES = 3


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


def looks_like_label_map(pixels: np.ndarray) -> bool:
    """True when a uint8 image has at most 3 distinct values, all of {0,1,2} or of {0,127/128,255}.

    A micrograph has hundreds of grey levels; even a blank or saturated one has noise. A single
    value (a blank image) also counts, since it carries nothing to learn either.
    """
    values = np.unique(pixels)
    if values.size > _MAX_LABEL_VALUES:
        return False
    present = frozenset(int(v) for v in values)
    return any(present <= allowed for allowed in _LABEL_VALUE_SETS) or values.size == 1


def refuse_label_map(path: Path, pixels: np.ndarray) -> None:
    """Raise :class:`LabelMapAmongImagesError` when ``pixels`` read from ``path`` look like labels."""
    if looks_like_label_map(pixels):
        values = ", ".join(str(int(v)) for v in np.unique(pixels))
        raise LabelMapAmongImagesError(path, f"it only holds the values {values}")

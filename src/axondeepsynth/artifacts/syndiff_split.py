"""What the data_engineering pipeline hands to a SynDiff HDF5 set: images per modality, lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np

ImageItem = Union[np.ndarray, Callable[[], np.ndarray]]
"""A uint8 (H, W) image, or a callable that produces one; either may carry an ``attrs`` dict."""

@dataclass
class SynDiffSplit:
    """What the data_engineering pipeline hands to :class:`SynDiffHDF5Dataset` for one file.

    Attributes:
        images: modality name -> its images, contrast1 first.
        source_roots: input dataset folders; writing inside one of them is refused.
        overwrite: replace an existing file (the ``overwrite`` parameter).
        attrs: root attributes of the file (e.g. ``split``, ``shared_with_train``).
    """

    images: Mapping[str, Iterable[ImageItem]]
    source_roots: tuple[Path, ...] = ()
    overwrite: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int | None]:
        """Number of images per modality (``None`` for a modality given as a bare iterator)."""
        return {m: len(items) if isinstance(items, Sequence) else None for m, items in self.images.items()}

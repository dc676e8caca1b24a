"""A whole image that is read, checked and rescaled only when called.

The data_engineering nodes hand lists of these to the HDF5 datasets, which call them one at a
time while writing, so memory holds one image however many there are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from axondeepsynth.imaging.image_checks import read_checked_image
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import rescale_image


@dataclass(frozen=True)
class ScaledImageSource:
    """One source image multiplied in size by ``scale_factor`` when called (uint8, 0-255)."""

    record: ImageRecord
    scale_factor: float

    def __call__(self) -> np.ndarray:
        return rescale_image(read_checked_image(self.record), self.scale_factor)

    @property
    def attrs(self) -> dict[str, Any]:
        """HDF5 attributes of the written image; ``pixel_size_um`` is after scaling (NaN if unknown)."""
        size = self.record.pixel_size_um
        return {
            "source_path": str(self.record.path),
            "subject": self.record.subject or "",
            "scale_factor": float(self.scale_factor),
            "pixel_size_um": size / self.scale_factor if size is not None else math.nan,
        }

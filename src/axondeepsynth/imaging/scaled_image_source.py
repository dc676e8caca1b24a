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
from axondeepsynth.imaging.image_io import DEFAULT_READ_OPTIONS, ReadOptions
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import ScaleFactor, axis_factors, rescale_image


def scaled_pixel_size_um(pixel_size_um: float | tuple[float, float] | None, factor: ScaleFactor) -> float:
    """Pixel side in micrometres after scaling by ``factor`` (the mean over both axes; NaN if unknown)."""
    if pixel_size_um is None:
        return math.nan
    sizes, factors = axis_factors(pixel_size_um), axis_factors(factor)
    return (sizes[0] / factors[0] + sizes[1] / factors[1]) / 2


def factor_attr(factor: ScaleFactor) -> float | list[float]:
    """A scale factor as an HDF5 attribute: one number, or [rows, columns] when they differ."""
    fy, fx = axis_factors(factor)
    return fy if fy == fx else [fy, fx]


@dataclass(frozen=True)
class ScaledImageSource:
    """One source image multiplied in size by ``scale_factor`` when called (uint8, 0-255).

    ``scale_factor`` is one factor or (rows, columns); ``options`` say how intensities wider than
    8 bits are mapped and whether images above Pillow's limit are allowed.
    """

    record: ImageRecord
    scale_factor: ScaleFactor
    options: ReadOptions = DEFAULT_READ_OPTIONS

    def __call__(self) -> np.ndarray:
        image, _ = read_checked_image(self.record, self.options)
        return rescale_image(image, self.scale_factor)

    @property
    def attrs(self) -> dict[str, Any]:
        """HDF5 attributes of the written image; ``pixel_size_um`` is after scaling (NaN if unknown)."""
        return {
            "source_path": str(self.record.path),
            "subject": self.record.subject or "",
            "scale_factor": factor_attr(self.scale_factor),
            "pixel_size_um": scaled_pixel_size_um(self.record.pixel_sizes_yx_um, self.scale_factor),
        }

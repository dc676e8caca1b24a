"""``data_engineering``: how the inputs become SynDiff training sets and tiles to translate."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from axondeepsynth.imaging.image_io import IntensityMapping, ReadOptions
from axondeepsynth.parameters.fields import Fraction, Name, NonNegativeInt, PositiveInt
from axondeepsynth.parameters.strict_model import StrictModel

Percentile = Annotated[float, Field(ge=0, le=100)]

MIN_TILE_SIZE = 64
TILE_MULTIPLE = 32
"""The generator halves a tile five times: tiles are multiples of 32 px, at least 64 px."""


class SplitRatios(StrictModel):
    """Shares of subjects per SynDiff split; they sum to 1 and train is not empty."""

    train: Fraction
    val: Fraction
    test: Fraction

    @model_validator(mode="after")
    def _sum_to_one(self) -> SplitRatios:
        total = self.train + self.val + self.test
        if not math.isclose(total, 1.0, abs_tol=1e-6) or self.train == 0:
            raise ValueError(f"train + val + test must be 1 with train > 0, got {total:g}")
        return self

    def as_dict(self) -> dict[str, float]:
        return {"train": self.train, "val": self.val, "test": self.test}


class ToTranslateParams(StrictModel):
    """Tiling of the labelled source images for translation (pixels of the scaled image).

    Attributes:
        tile_size: SynDiff's tile size, a multiple of 32 and at least 64.
        overlap: pixels shared by neighbouring tiles (blended when stitched), below tile_size.
        name: the tile set's name, recorded in the file.
    """

    tile_size: PositiveInt
    overlap: NonNegativeInt
    name: Name

    @model_validator(mode="after")
    def _tiling(self) -> ToTranslateParams:
        if self.tile_size < MIN_TILE_SIZE or self.tile_size % TILE_MULTIPLE:
            raise ValueError(f"tile_size={self.tile_size} must be a multiple of {TILE_MULTIPLE} and at least "
                             f"{MIN_TILE_SIZE} px (e.g. 256 or 512)")
        if self.overlap >= self.tile_size:
            raise ValueError(f"overlap={self.overlap} must be smaller than tile_size={self.tile_size}")
        return self


class IntensityParams(StrictModel):
    """How intensities wider than 8 bits become 0-255 (see :class:`~axondeepsynth.imaging.image_io.IntensityMapping`):
    ``mode`` ``bit_depth`` (by the bits the image uses) or ``percentile`` (``low``-``high`` window)."""

    mode: Literal["bit_depth", "percentile"]
    low: Percentile
    high: Percentile

    @model_validator(mode="after")
    def _window(self) -> IntensityParams:
        if self.low >= self.high:
            raise ValueError(f"low={self.low} must be below high={self.high} (percentiles, 0-100)")
        return self


class DataEngineeringParams(StrictModel):
    """Attributes: ``split_ratios`` (by subject where the layout names subjects), ``seed`` (shuffles
    subjects), ``overwrite`` (replace files an earlier run wrote), ``to_translate``, ``intensity``
    (mapping of 16-bit and float images), ``allow_large_images`` (read images above Pillow's
    179-Mpx limit)."""

    split_ratios: SplitRatios
    seed: NonNegativeInt
    overwrite: bool
    to_translate: ToTranslateParams
    intensity: IntensityParams
    allow_large_images: bool

    def read_options(self) -> ReadOptions:
        """How the input images are read."""
        return ReadOptions(IntensityMapping(self.intensity.mode, self.intensity.low, self.intensity.high),
                           self.allow_large_images)

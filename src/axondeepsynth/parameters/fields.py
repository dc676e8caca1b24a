"""Constrained field types shared by several parameter blocks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

Name = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True, pattern=r"^[^/]+$")]
"""A user-chosen name (modality, tile set): non-empty, no '/'."""

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]

Scale = PositiveFloat | Literal["auto"]
"""A size multiplier (0.5 halves an image), or ``auto``: pixel size / working pixel size."""

Precision = Literal["auto", "bf16", "fp32"]
"""Compute precision of SynDiff (``auto``: the fastest of the device, see ``syndiff/precision.py``)."""

ChannelsLast = Literal["auto"] | bool
"""NHWC memory layout: ``auto`` (where it is faster), true or false."""

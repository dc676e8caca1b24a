"""``nnunet_export``: the labelled source dataset as nnU-Net raw data (the target's export takes its
split from ``inputs.target`` and its pixel size from ``inputs.working_pixel_size_um``)."""

from __future__ import annotations

from axondeepsynth.parameters.fields import Fraction, NonNegativeInt, PositiveFloat
from axondeepsynth.parameters.strict_model import StrictModel


class NnUNetExportParams(StrictModel):
    """Attributes:
        test_fraction: share of the source's subjects held out as ``imagesTs``/``labelsTs``.
        seed: draws those subjects.
        target_pixel_size_um: rescale source images to this pixel side (micrometres); null keeps sizes.
        overwrite: replace an exported dataset (source or target) holding other content.
    """

    test_fraction: Fraction
    seed: NonNegativeInt
    target_pixel_size_um: PositiveFloat | None
    overwrite: bool

"""``faithfulness``: does a translation keep every fibre where its carried labels say it is?

The oracle that segments the translations is an arm's trained nnU-Net (catalog entries), predicting
with ``segmentation.prediction`` and matching fibres with ``segmentation.evaluation``.
"""

from __future__ import annotations

from axondeepsynth.parameters.fields import Fraction, NonNegativeInt, PositiveFloat
from axondeepsynth.parameters.strict_model import StrictModel


class FaithfulnessParams(StrictModel):
    """Attributes:
        thresholds: metric -> minimum; an image below any is flagged (WARNING, listed in the summary).
        figure_images: least faithful translations in the figure.
        pixel_size_um: micrometres per source pixel when the source records none; null: pixels.
    """

    thresholds: dict[str, Fraction]
    figure_images: NonNegativeInt
    pixel_size_um: PositiveFloat | None

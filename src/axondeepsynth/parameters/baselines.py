"""``baselines``: the cheap arms a lab would try before SynDiff, scored beside it.

``histogram_matching`` and the ``non_diffusive`` arms need no parameters of their own (they read
``translation`` and ``segmentation`` like the SynDiff arms). The ``augmentation`` arm trains
nnU-Net with ``segmentation.training`` and another trainer, so a schedule changed there (``--params``,
``conf/<env>``) reaches it too.
"""

from __future__ import annotations

from axondeepsynth.parameters.fields import Name
from axondeepsynth.parameters.strict_model import StrictModel


class BaselinesParams(StrictModel):
    """Attributes:
        augmentation_trainer: nnU-Net trainer of the augmentation arm: ``nnUNetTrainerAxonDemoDA5``
            (DA5's heavy augmentation on the demo schedule) or ``nnUNetTrainerDA5`` (nnU-Net's own).
    """

    augmentation_trainer: Name

"""``baselines``: the cheap arms a lab would try before SynDiff, scored beside it.

``histogram_matching`` and the ``non_diffusive`` arms need no parameters of their own (they read
``translation`` and ``segmentation`` like the SynDiff arms); the ``augmentation`` arm trains
nnU-Net with ``augmentation_training`` instead of ``segmentation.training``: the same keys, with
a heavy-augmentation trainer (``nnUNetTrainerAxonDemoDA5`` on the demo schedule,
``nnUNetTrainerDA5`` for nnU-Net's own).
"""

from __future__ import annotations

from axondeepsynth.parameters.segmentation import TrainingParams
from axondeepsynth.parameters.strict_model import StrictModel


class BaselinesParams(StrictModel):
    """Attributes:
        augmentation_training: ``segmentation.training`` of the augmentation arm.
    """

    augmentation_training: TrainingParams

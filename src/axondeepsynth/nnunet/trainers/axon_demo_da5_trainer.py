"""nnU-Net's heavy-augmentation trainer on the project's short demo schedule: the augmentation baseline.

``nnUNetTrainerDA5`` is what nnU-Net's authors offer for domain shift: far stronger intensity
(brightness gradients, local gamma, sharpening, blur, noise, inversion-free contrast changes) and
spatial augmentation than the default trainer. Trained on the source labels and applied to raw
target images, it asks whether robustness alone closes the gap that translation closes.
``nnUNetTrainerAxonDemoDA5`` takes DA5's augmentation and :class:`nnUNetTrainerAxonDemo`'s
schedule (a few short epochs, a checkpoint every epoch), which the Kedro nodes override from
``segmentation.training`` like any trainer's.
"""

from __future__ import annotations

from nnunetv2.training.nnUNetTrainer.variants.data_augmentation.nnUNetTrainerDA5 import nnUNetTrainerDA5

from axondeepsynth.nnunet.trainers.axon_demo_trainer import nnUNetTrainerAxonDemo


class nnUNetTrainerAxonDemoDA5(nnUNetTrainerAxonDemo, nnUNetTrainerDA5):  # noqa: N801 - nnU-Net's naming
    """DA5's augmentation (its methods come first after the demo schedule in the MRO), demo schedule."""

"""A short nnU-Net trainer for CPU demos and tests.

nnU-Net's own short variants (``nnUNetTrainer_1epoch``) still run 250 training and 50 validation
iterations per epoch, about 430 s per epoch on 2 CPU cores at 256 px. This trainer keeps
everything of ``nnUNetTrainer`` (network, loss, augmentation, checkpoints, validation) and only
shortens the schedule. The Kedro nodes override these defaults from parameters
(``segmentation.training``) after constructing any trainer, so they are starting values, not
fixed constants.
"""

from __future__ import annotations

import torch
from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer


class nnUNetTrainerAxonDemo(nnUNetTrainer):  # noqa: N801 - nnU-Net's trainer naming convention
    """nnUNetTrainer with a few short epochs and a checkpoint after every epoch (resumable)."""

    DEFAULT_EPOCHS = 2
    DEFAULT_ITERATIONS_PER_EPOCH = 10
    DEFAULT_VAL_ITERATIONS_PER_EPOCH = 2

    def __init__(self, plans: dict, configuration: str, fold: int, dataset_json: dict,
                 device: torch.device = torch.device("cuda")):
        super().__init__(plans, configuration, fold, dataset_json, device)
        self.num_epochs = self.DEFAULT_EPOCHS
        self.num_iterations_per_epoch = self.DEFAULT_ITERATIONS_PER_EPOCH
        self.num_val_iterations_per_epoch = self.DEFAULT_VAL_ITERATIONS_PER_EPOCH
        self.save_every = 1

"""Nodes of syndiff_training: thin wrappers from catalog data and parameters to the trainer.

``checkpoint_store`` is the project's one deliberate side-effecting input: training writes
generator weights and the resume state through it while it runs (see
``axondeepsynth.datasets.checkpoint_directory_dataset``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from axondeepsynth.pipelines.syndiff_training.parameters import parse_training_parameters
from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.syndiff.distributed import launch
from axondeepsynth.syndiff.run_logger import RunLogger
from axondeepsynth.syndiff.training_data import check_tile_size, select_modalities
from axondeepsynth.syndiff.training_run import TrainingJob, TrainingOutcome, train_on_rank
from axondeepsynth.syndiff.validation import ValidationSet
from axondeepsynth.syndiff.validation_figure import make_validation_figure, placeholder_figure

logger = logging.getLogger(__name__)

Images = Mapping[str, Sequence[np.ndarray]]


def train_syndiff(
    train: Images, val: Images, paired: Images, checkpoint_store: CheckpointStore, params: dict[str, Any]
) -> tuple[dict[str, Any], Figure]:
    """Train (or resume) SynDiff on ``syndiff_train``, validating on ``syndiff_val`` crops.

    Args:
        train, val: modality -> uint8 whole images (the SynDiff HDF5 sets).
        paired: the same layout with index-aligned modalities (phantoms), or empty.
        checkpoint_store: where ``<experiment_name>/`` checkpoints are written during training.
        params: ``params:syndiff_training``.

    Returns the training summary (per-epoch losses and validation metrics, saved epochs) and
    the last validation figure (source, translation, cycle reconstruction, both directions).
    """
    parsed = parse_training_parameters(params)
    settings, config = parsed.settings, parsed.config
    contrast1_images, contrast2_images = select_modalities(train, settings.contrast1, settings.contrast2, "syndiff_train")
    check_tile_size(config.model.image_size, [*contrast1_images, *contrast2_images], "syndiff_train")
    select_modalities(val, settings.contrast1, settings.contrast2, "syndiff_val")
    validation_set = ValidationSet.from_images(val, paired, settings.contrasts, config.model.image_size,
                                               settings.val_max_images)
    job = TrainingJob(contrast1_images, contrast2_images, validation_set, checkpoint_store, config, settings,
                      RunLogger.from_active_run())
    outcome: TrainingOutcome = launch(functools.partial(train_on_rank, job), parsed.launch.device,
                                      parsed.launch.devices, parsed.launch.world_size)
    figure = (make_validation_figure(outcome.last_validation, outcome.epochs_completed)
              if outcome.last_validation is not None else placeholder_figure("no validation ran in this run"))
    return outcome.summary(settings), figure

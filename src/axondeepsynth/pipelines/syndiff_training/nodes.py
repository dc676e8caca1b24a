"""Node of syndiff_training: a thin wrapper from catalog data and parameters to the trainer.

``experiment`` (catalog ``syndiff_checkpoints``) is the project's one deliberate side-effecting
input: training writes generator weights and the resume state through it while it runs. The
finished run's record (catalog ``syndiff_model``) is what translation reads.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment
from axondeepsynth.parameters.syndiff_training import SynDiffTrainingParams
from axondeepsynth.syndiff.config import ConfigError
from axondeepsynth.syndiff.distributed import launch
from axondeepsynth.syndiff.run_logger import RunLogger
from axondeepsynth.syndiff.training_data import check_tile_size, select_modalities
from axondeepsynth.syndiff.training_run import TrainingJob, TrainingOutcome, train_on_rank
from axondeepsynth.syndiff.validation import ValidationSet
from axondeepsynth.syndiff.validation_figure import make_validation_figure, placeholder_figure

logger = logging.getLogger(__name__)

Images = Mapping[str, Sequence[np.ndarray]]


def _contrasts(train: Images) -> tuple[str, str]:
    """contrast1, contrast2: the training set's two modalities, source first."""
    names = list(train)
    if len(names) != 2:
        raise ConfigError(f"syndiff_train must hold exactly two modalities (source, target), found {names}; "
                          "re-run `kedro run --pipeline data_engineering`.")
    return names[0], names[1]


def train_syndiff(
    train: Images, val: Images, paired: Images, experiment: SynDiffExperiment, params: SynDiffTrainingParams,
    run_namespace: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any], Figure]:
    """Train (or resume) SynDiff on ``syndiff_train``, validating on ``syndiff_val`` crops.

    Args:
        train, val: modality -> uint8 whole images (the SynDiff HDF5 sets; source modality first).
        paired: the same layout with index-aligned modalities (phantoms), or empty.
        experiment: the folder checkpoints are written to during training.
        params: ``params:syndiff_training`` (a replicate seed slot passes its copy with its own seed).
        run_namespace: prefix of the per-epoch MLflow metrics and artifacts (a replicate slot's
            ``seed_<k>``); None for the main training.

    Returns:
        The trained model's record (catalog ``syndiff_model``: contrasts, epochs, checkpoint
        epochs, final metrics), the full training summary (per-epoch losses and validation
        metrics, and ``training_seconds``: this run's wall-clock training time) and the last
        validation figure (source, translation, cycle, both directions).
    """
    contrast1, contrast2 = _contrasts(train)
    settings = params.training_settings(experiment.name, contrast1, contrast2)
    config = params.syndiff_config()
    contrast1_images, contrast2_images = select_modalities(train, contrast1, contrast2, "syndiff_train")
    check_tile_size(config.model.image_size, [*contrast1_images, *contrast2_images], "syndiff_train")
    select_modalities(val, contrast1, contrast2, "syndiff_val")
    validation_set = ValidationSet.from_images(val, paired, settings.contrasts, config.model.image_size,
                                               settings.val_max_images)
    job = TrainingJob(contrast1_images, contrast2_images, validation_set, experiment.store, config, settings,
                      RunLogger.from_active_run(run_namespace))
    started = time.perf_counter()
    outcome: TrainingOutcome = launch(functools.partial(train_on_rank, job), params.device,
                                      params.devices, params.world_size)
    training_seconds = time.perf_counter() - started
    figure = (make_validation_figure(outcome.last_validation, outcome.epochs_completed)
              if outcome.last_validation is not None else placeholder_figure("no validation ran in this run"))
    summary = {**outcome.summary(settings), "training_seconds": training_seconds}  # this run's wall clock
    model = {key: summary[key] for key in ("experiment_name", "contrasts", "epochs_completed", "checkpoint_epochs",
                                           "final_metrics")}
    return model, summary, figure

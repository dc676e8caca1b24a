"""Train one nnU-Net fold through nnU-Net's own trainer, resuming from its checkpoints.

This is ``nnUNetv2_train <dataset> <configuration> <fold> -tr <trainer> [--c]`` called from
Python: the trainer is looked up by class name (nnU-Net's trainers and ours in
``axondeepsynth/nnunet/trainers``), its schedule (epochs, iterations per epoch) is overridden
from the settings, and nnU-Net's ``maybe_load_checkpoint`` continues a killed fold from
``checkpoint_latest.pth``.

A fold records the content digest of the raw dataset it is trained on
(:mod:`axondeepsynth.nnunet.dataset_digest`); a finished or half-trained fold of another digest
(or of none) is trained again from scratch, never reused.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from axondeepsynth.nnunet.dataset_digest import SPLITS_KEY, fold_digest, record_fold_digest
from axondeepsynth.nnunet.device import resolve_device
from axondeepsynth.nnunet.environment import NnUNetPaths, activate_nnunet_environment, augmentation_processes

logger = logging.getLogger(__name__)

FINAL_CHECKPOINT = "checkpoint_final.pth"
BEST_CHECKPOINT = "checkpoint_best.pth"


@dataclass(frozen=True)
class TrainingSettings:
    """How one fold is trained; ``None`` keeps the trainer's own value.

    Attributes:
        trainer: nnU-Net trainer class name (``nnUNetTrainer`` for the full 1000-epoch schedule,
            ``nnUNetTrainerAxonDemo`` for CPU demos).
        num_epochs: epochs to train.
        iterations_per_epoch: training batches per epoch.
        val_iterations_per_epoch: validation batches per epoch (pseudo Dice for the best checkpoint).
        save_every: write ``checkpoint_latest.pth`` every this many epochs (resume granularity).
        augmentation_processes: data augmentation worker processes (0 runs augmentation in the
            training process, the cheapest for tiny CPU runs).
        device: ``auto``, ``cpu`` or ``cuda``.
        continue_training: resume from the fold's last checkpoint when there is one; False starts
            over and replaces the fold's checkpoints.
        validate: run nnU-Net's final validation on the fold's held-out cases (``validation/summary.json``).
    """

    trainer: str = "nnUNetTrainerAxonDemo"
    num_epochs: int | None = None
    iterations_per_epoch: int | None = None
    val_iterations_per_epoch: int | None = None
    save_every: int | None = None
    augmentation_processes: int = 0
    device: str = "auto"
    continue_training: bool = True
    validate: bool = True


def parse_fold(fold: int | str) -> int | str:
    """A fold index (0, 1, ...) or ``all`` (train on every training case)."""
    if fold == "all":
        return "all"
    try:
        value = int(fold)
    except (TypeError, ValueError):
        raise ValueError(f"fold must be an integer or 'all', got {fold!r}; fix segmentation.training.folds.") from None
    if value < 0:
        raise ValueError(f"fold must be non-negative, got {value}; fix segmentation.training.folds.")
    return value


def model_dir(paths: NnUNetPaths, dataset_name: str, trainer: str, plans_identifier: str, configuration: str) -> Path:
    """nnU-Net's results folder of one trainer/plans/configuration (holds ``fold_<k>/``)."""
    return paths.results / dataset_name / f"{trainer}__{plans_identifier}__{configuration}"


def _apply_schedule(trainer: Any, settings: TrainingSettings) -> None:
    overrides = {
        "num_epochs": settings.num_epochs,
        "num_iterations_per_epoch": settings.iterations_per_epoch,
        "num_val_iterations_per_epoch": settings.val_iterations_per_epoch,
        "save_every": settings.save_every,
    }
    for attribute, value in overrides.items():
        if value is not None:
            if int(value) < 1:
                raise ValueError(f"segmentation.training: {attribute} must be at least 1, got {value}.")
            setattr(trainer, attribute, int(value))


def _epoch_seconds(trainer: Any) -> list[float]:
    starts = trainer.logger.get_value("epoch_start_timestamps", step=None)
    ends = trainer.logger.get_value("epoch_end_timestamps", step=None)
    return [float(end - start) for start, end in zip(starts, ends)]


def training_history(trainer: Any) -> dict[str, list[float]]:
    """Per-epoch values nnU-Net logged: losses, pseudo Dice (EMA) and seconds per epoch."""
    history = {key: [float(v) for v in trainer.logger.get_value(key, step=None)]
               for key in ("train_losses", "val_losses", "mean_fg_dice", "ema_fg_dice")}
    history["epoch_seconds"] = _epoch_seconds(trainer)
    return history


def check_fold_in_splits(paths: NnUNetPaths, dataset_name: str, fold: int | str) -> None:
    """Refuse a fold index that ``splits_final.json`` does not define (nnU-Net would silently train
    it on a random 80:20 split instead)."""
    splits_file = paths.preprocessed / dataset_name / SPLITS_KEY
    if fold == "all" or not splits_file.is_file():
        return
    count = len(json.loads(splits_file.read_text(encoding="utf-8")))
    if int(fold) >= count:
        raise ValueError(
            f"fold {fold} does not exist: '{splits_file}' defines folds 0-{count - 1} (one per group of subjects); "
            "choose folds in that range or 'all' in segmentation.training.folds."
        )


def _resume(folder: Path, settings: TrainingSettings, raw_dataset_digest: str | None) -> bool:
    """Whether the fold's checkpoints may be continued: asked for, and made from this raw dataset."""
    if not settings.continue_training or raw_dataset_digest is None:
        return settings.continue_training
    trained_on = fold_digest(folder)
    if trained_on == raw_dataset_digest:
        return True
    if any(folder.glob("checkpoint_*.pth")):
        logger.warning("Fold '%s' was trained on %s raw dataset: training it again from scratch.", folder,
                       "an unrecorded" if trained_on is None else "another version of its")
    return False


def _remove_fold_results(folder: Path) -> None:
    """Delete a fold's checkpoints and validation before it trains from scratch: a run killed before
    the new ``checkpoint_final.pth`` is written must not leave the old one to be taken as finished."""
    for checkpoint in folder.glob("checkpoint_*.pth"):
        logger.info("Removing %s: the fold trains from scratch.", checkpoint)
        checkpoint.unlink()
    if (folder / "validation").is_dir():
        shutil.rmtree(folder / "validation")


def train_fold(
    base_dir: Path | str, dataset_name: str, plans_identifier: str, configuration: str, fold: int | str,
    settings: TrainingSettings, num_processes: int = 2, raw_dataset_digest: str | None = None,
) -> dict[str, Any]:
    """Train (or finish training) one fold and return where its model is and how it went.

    A fold whose ``checkpoint_final.pth`` exists is not trained again while ``continue_training``
    is true and it was trained on ``raw_dataset_digest`` (the plan's; ``None`` skips the check).

    Returns:
        ``{"fold", "trainer", "model_dir", "checkpoints", "history", "mean_epoch_seconds",
        "validation_dice", "raw_dataset_digest"}``;
        ``history`` is empty when the fold was already trained; ``validation_dice`` is nnU-Net's
        foreground mean Dice of the final validation, ``None`` when not run.
    """
    fold = parse_fold(fold)
    paths = activate_nnunet_environment(base_dir, num_processes)
    from nnunetv2.run.run_training import get_trainer_from_args, maybe_load_checkpoint

    check_fold_in_splits(paths, dataset_name, fold)
    folder = model_dir(paths, dataset_name, settings.trainer, plans_identifier, configuration) / f"fold_{fold}"
    history: dict[str, list[float]] = {}
    resume = _resume(folder, settings, raw_dataset_digest)
    if resume and (folder / FINAL_CHECKPOINT).is_file():
        logger.info("Fold %s of %s is already trained on this raw dataset (%s); set continue_training: false "
                    "to retrain.", fold, dataset_name, folder / FINAL_CHECKPOINT)
        return _fold_record(fold, settings, folder, history)
    if not resume:
        _remove_fold_results(folder)
    if raw_dataset_digest is not None:
        record_fold_digest(folder, raw_dataset_digest)
    with augmentation_processes(settings.augmentation_processes):
        trainer = get_trainer_from_args(dataset_name, configuration, fold, settings.trainer, plans_identifier,
                                        resume, device=resolve_device(settings.device))
        _apply_schedule(trainer, settings)
        maybe_load_checkpoint(trainer, resume, False, None)
        logger.info("Training fold %s of %s with %s from epoch %d to %d (%d + %d iterations per epoch).",
                    fold, dataset_name, settings.trainer, trainer.current_epoch, trainer.num_epochs,
                    trainer.num_iterations_per_epoch, trainer.num_val_iterations_per_epoch)
        trainer.run_training()
        if settings.validate:
            trainer.perform_actual_validation(False)
        history = training_history(trainer)
    return _fold_record(fold, settings, folder, history)


def _fold_record(fold: int | str, settings: TrainingSettings, folder: Path,
                 history: dict[str, list[float]]) -> dict[str, Any]:
    return {
        "fold": fold,
        "trainer": settings.trainer,
        "model_dir": str(folder.parent),
        "checkpoints": sorted(p.name for p in folder.glob("checkpoint_*.pth")),
        "history": history,
        "mean_epoch_seconds": float(np.mean(history["epoch_seconds"])) if history.get("epoch_seconds") else None,
        "validation_dice": _validation_dice(folder),
        "raw_dataset_digest": fold_digest(folder),
    }


def _validation_dice(fold_dir: Path) -> float | None:
    summary = fold_dir / "validation" / "summary.json"
    if not summary.is_file():
        return None
    return float(json.loads(summary.read_text())["foreground_mean"]["Dice"])

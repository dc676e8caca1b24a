"""Nodes of the segmentation pipeline: nnU-Net plan/preprocess, one training per fold, predict, evaluate.

nnU-Net keeps its state in its own folders (``segmentation.nnunet.base_dir``): these nodes pass
small records (dicts) between each other so that Kedro orders them, and the heavy data stay
where nnU-Net puts them. Parameters are the ``segmentation`` block of
``conf/base/parameters_segmentation.yml``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm

from axondeepsynth.evaluation.morphometric_comparison import compare_segmentations
from axondeepsynth.evaluation.morphometrics import axon_morphometrics, image_morphometrics
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.planning import PlanningSettings, find_raw_dataset, plan_and_preprocess
from axondeepsynth.nnunet.prediction import PredictionSettings, load_predictor, segment_image
from axondeepsynth.nnunet.training import TrainingSettings, model_dir, train_fold
from axondeepsynth.pipelines.segmentation.overlays import overlay_figure
from axondeepsynth.pipelines.segmentation.segmentation_cases import find_segmentation_cases

logger = logging.getLogger(__name__)

_TRAINING_KEYS = set(TrainingSettings.__dataclass_fields__)


def _log_mlflow_metrics(metrics: dict[str, float], step: int | None = None) -> None:
    """Log finite metrics to the active MLflow run (kedro-mlflow opens one per ``kedro run``)."""
    import mlflow

    if mlflow.active_run() is None:
        return
    finite = {k: float(v) for k, v in metrics.items() if v is not None and np.isfinite(v)}
    if finite:
        mlflow.log_metrics(finite, step=step)


def prepare_nnunet_dataset(nnunet: dict[str, Any], planning: dict[str, Any]) -> dict[str, Any]:
    """Check the raw dataset with nnU-Net's integrity check, then plan and preprocess it.

    Returns:
        ``{"dataset_name", "plans_identifier", "configuration", "patch_size", "batch_size"}``.
    """
    settings = PlanningSettings(num_processes=int(nnunet.get("num_processes", 2)), **planning)
    return plan_and_preprocess(nnunet["base_dir"], int(nnunet["dataset_id"]), settings)


def train_nnunet_fold(plan: dict[str, Any], nnunet: dict[str, Any], training: dict[str, Any],
                      fold: int | str) -> dict[str, Any]:
    """Train one fold (resuming from its checkpoint) and log its per-epoch curves to MLflow."""
    settings = TrainingSettings(**{k: v for k, v in training.items() if k in _TRAINING_KEYS})
    result = train_fold(nnunet["base_dir"], plan["dataset_name"], plan["plans_identifier"], plan["configuration"],
                        fold, settings, int(nnunet.get("num_processes", 2)))
    history = result["history"]
    for epoch in range(len(history.get("epoch_seconds", []))):
        _log_mlflow_metrics({f"fold_{fold}.{key}": values[epoch] for key, values in history.items()
                             if epoch < len(values)}, step=epoch)
    if result["validation_dice"] is not None:
        _log_mlflow_metrics({f"fold_{fold}.validation_dice": result["validation_dice"]})
    return result


def predict_segmentations(plan: dict[str, Any], nnunet: dict[str, Any], prediction: dict[str, Any],
                          *fold_models: dict[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
    """Segment the images to segment with the ensemble of the trained folds.

    Args:
        plan: output of :func:`prepare_nnunet_dataset`.
        nnunet, prediction: ``segmentation.nnunet`` and ``segmentation.prediction`` parameters;
            ``prediction.folds`` (optional) picks a subset of the trained folds.
        fold_models: outputs of :func:`train_nnunet_fold`, one per fold.

    Returns:
        ``({name: uint8 label map}, {name: {"image", "label", "pixel_size_um"}})``.
    """
    paths = activate_nnunet_environment(nnunet["base_dir"], int(nnunet.get("num_processes", 2)))
    trainers = {model["trainer"] for model in fold_models}
    if len(trainers) != 1:
        raise ValueError(f"the folds to ensemble come from different trainers {sorted(trainers)}; train them alike.")
    folds = prediction.get("folds") or [model["fold"] for model in fold_models]
    settings = PredictionSettings(**{k: v for k, v in prediction.items()
                                     if k in PredictionSettings.__dataclass_fields__})
    cases = find_segmentation_cases(find_raw_dataset(paths, int(nnunet["dataset_id"])),
                                    prediction.get("images_dir"), prediction.get("pixel_size_um"),
                                    prediction.get("labels_dir"))
    predictor = load_predictor(
        model_dir(paths, plan["dataset_name"], trainers.pop(), plan["plans_identifier"], plan["configuration"]),
        folds, settings)
    started = time.perf_counter()
    masks = {name: segment_image(predictor, read_grayscale(case["image"]))
             for name, case in tqdm(cases.items(), desc="nnU-Net prediction", unit="image")}
    seconds_per_image = (time.perf_counter() - started) / len(masks)
    logger.info("Predicted %d image(s), %.1f s per image.", len(masks), seconds_per_image)
    _log_mlflow_metrics({"segmentation.prediction_seconds_per_image": seconds_per_image})
    return masks, cases


def evaluate_segmentations(masks: dict[str, np.ndarray], cases: dict[str, dict[str, Any]],
                           evaluation: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, Figure]:
    """Compare predictions with the ground truth where it exists, and measure every axon.

    Returns:
        ``metrics`` (one row per image: Dice/IoU per class, detection, morphometric errors, or
        only the predicted morphometrics without ground truth), ``morphometrics`` (one row per
        predicted axon) and an overlay figure of the first ``overlay_images`` images. The mean
        of each metric is logged to the active MLflow run as ``segmentation.<metric>``.
    """
    min_iou = float(evaluation.get("min_iou", 0.5))
    min_area = int(evaluation.get("min_axon_area_px", 1))
    metric_rows, axon_tables, panels = [], [], []
    for name, predicted in tqdm(masks.items(), desc="evaluation", unit="image"):
        case = cases[name]
        size = case["pixel_size_um"]
        reference = read_label_map(case["label"]) if case["label"] else None
        row: dict[str, Any] = {"image": name, "pixel_size_um": size}
        if reference is None:
            row.update(image_morphometrics(predicted, size, min_area))
        else:
            row.update(compare_segmentations(reference, predicted, size, min_iou, min_area))
        metric_rows.append(row)
        axon_tables.append(axon_morphometrics(predicted, size, min_area).assign(image=name))
        if len(panels) < int(evaluation.get("overlay_images", 4)):
            panels.append((name, read_grayscale(case["image"]), predicted, reference))
    metrics = pd.DataFrame(metric_rows)
    morphometrics = pd.concat(axon_tables, ignore_index=True) if axon_tables else pd.DataFrame()
    means = metrics.drop(columns=["image"]).mean(numeric_only=True)
    _log_mlflow_metrics({f"segmentation.{key}": value for key, value in means.items()})
    logger.info("Segmentation means over %d image(s): %s", len(metrics),
                {k: round(float(v), 4) for k, v in means.items() if k.startswith(("dice", "axon_"))})
    return metrics, morphometrics, overlay_figure(panels)


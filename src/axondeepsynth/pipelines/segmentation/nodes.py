"""Nodes of the segmentation pipeline: nnU-Net plan/preprocess, one training per fold slot,
list the images to segment, predict, evaluate.

nnU-Net keeps its state in its own folders below the raw dataset's ``nnunet_dir`` (catalog entry):
these nodes pass small records (dicts) between each other, saved as the catalog's
``{arm}.nnunet_plan`` and ``{arm}.nnunet_fold_{slot}`` entries, and the heavy data stay where
nnU-Net puts them. Parameters are the ``segmentation`` block of ``conf/base/parameters_segmentation.yml``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.evaluation.axondeepseg_format import AxonDeepSegResult, axondeepseg_result
from axondeepsynth.evaluation.morphometric_comparison import compare_segmentations
from axondeepsynth.evaluation.morphometrics import axon_morphometrics, image_morphometrics
from axondeepsynth.imaging.image_checks import read_labels_of
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.planning import plan_and_preprocess
from axondeepsynth.nnunet.prediction import load_segmenter
from axondeepsynth.nnunet.training import model_dir, train_fold
from axondeepsynth.parameters.segmentation import (
    EvaluationParams,
    NnUNetParams,
    PlanningParams,
    PredictionParams,
    TrainingParams,
)
from axondeepsynth.pipelines.mlflow_metrics import MlflowMetrics, as_mlflow_curves, as_mlflow_metrics
from axondeepsynth.pipelines.segmentation.overlays import overlay_figure
from axondeepsynth.pipelines.segmentation.segmentation_cases import find_segmentation_cases
from axondeepsynth.translation.translation_manifest import TranslationManifest

logger = logging.getLogger(__name__)

Cases = dict[str, dict[str, Any]]
"""``{name: {"image", "label", "pixel_size_um"}}``: what to segment (paths as strings)."""


def prepare_nnunet_dataset(dataset: NnUNetRawHandle, nnunet: NnUNetParams, planning: PlanningParams) -> dict[str, Any]:
    """Check the raw dataset with nnU-Net's integrity check, then plan and preprocess it.

    Returns:
        ``{"base_dir", "dataset_id", "dataset_name", "plans_identifier", "configuration", "patch_size",
        "batch_size", "raw_dataset_digest", "num_folds"}``.
    """
    plan = plan_and_preprocess(dataset.nnunet_dir, dataset.dataset_id, planning.settings(nnunet.num_processes))
    return {"base_dir": str(dataset.nnunet_dir), "dataset_id": dataset.dataset_id, **plan}


def train_nnunet_fold(plan: dict[str, Any], nnunet: NnUNetParams, training: TrainingParams,
                      slot: str) -> tuple[dict[str, Any], MlflowMetrics]:
    """Train fold ``slot`` (resuming from its checkpoint) when ``segmentation.training.folds``
    selects it.

    Returns:
        The fold record (see :func:`~axondeepsynth.nnunet.training.train_fold`), or
        ``{"fold": slot, "skipped": True}`` when the slot is not selected; and its per-epoch
        curves (and final validation Dice) as MLflow metrics (catalog ``{arm}.fold_{slot}_curves``).
    """
    if not training.trains(slot):
        return {"fold": slot, "skipped": True}, {}
    fold: int | str = slot if slot == "all" else int(slot)
    result = train_fold(plan["base_dir"], plan["dataset_name"], plan["plans_identifier"], plan["configuration"],
                        fold, training.settings(), nnunet.num_processes, plan.get("raw_dataset_digest"))
    curves = {**as_mlflow_curves(result["history"]),
              **as_mlflow_metrics({"validation_dice": result["validation_dice"]})}
    return {**result, "skipped": False}, curves


def list_test_cases(dataset: NnUNetRawHandle, prediction: PredictionParams) -> Cases:
    """The held-out ``imagesTs`` of ``dataset`` with their ``labelsTs`` as ground truth."""
    return find_segmentation_cases(dataset.path, None, prediction.pixel_size_um)


def list_adapted_cases(translated: TranslationManifest, reference: NnUNetRawHandle,
                       prediction: PredictionParams) -> Cases:
    """The adaptation arm's translated images, scored against ``reference``'s ``labelsTs`` (the
    images it translated are that dataset's ``imagesTs``), matched by case name.

    A translation keeps its image's size, so its pixel size is the one ``reference`` records for
    that case; its modality is the one it was translated into (``translated.target_contrast``), so
    that prediction brings it to the pixel size the model of that modality was trained at.
    """
    cases = find_segmentation_cases(reference.path, str(translated.output_dir), prediction.pixel_size_um,
                                    str(reference.test_labels_dir))
    return {name: {**case, "modality": translated.target_contrast} for name, case in cases.items()}


def predict_segmentations(plan: dict[str, Any], cases: Cases, nnunet: NnUNetParams, prediction: PredictionParams,
                          *fold_models: dict[str, Any]) -> tuple[dict[str, np.ndarray], Cases, MlflowMetrics]:
    """Segment ``cases`` with the ensemble of the trained folds, each image of the model's modality
    resampled to the pixel size the model was trained at (masks come back at the image's own size;
    images of the other modality are at their working pixel size and segmented as they are).

    Args:
        plan: output of :func:`prepare_nnunet_dataset`.
        cases: the images to segment (:func:`list_test_cases`, :func:`list_adapted_cases`).
        nnunet, prediction: ``segmentation.nnunet`` and ``segmentation.prediction``;
            ``prediction.folds`` (optional) picks a subset of the trained folds.
        fold_models: outputs of :func:`train_nnunet_fold`, one per slot (skipped ones are ignored).

    Returns:
        ``({name: uint8 label map}, cases, {"prediction_seconds_per_image"} as an MLflow metric)``.
    """
    trained = [model for model in fold_models if not model.get("skipped")]
    if not trained:
        raise ValueError("no fold was trained: segmentation.training.folds selects none of 0-4, all.")
    trainers = {model["trainer"] for model in trained}
    if len(trainers) != 1:
        raise ValueError(f"the folds to ensemble come from different trainers {sorted(trainers)}; train them alike.")
    paths = activate_nnunet_environment(plan["base_dir"], nnunet.num_processes)
    folds = list(prediction.folds) if prediction.folds else [model["fold"] for model in trained]
    model = model_dir(paths, plan["dataset_name"], trainers.pop(), plan["plans_identifier"], plan["configuration"])
    segmenter = load_segmenter(model, folds, prediction.settings())
    started = time.perf_counter()
    masks = {name: segmenter.segment(read_grayscale(case["image"]), case["image"], case["pixel_size_um"],
                                     "segmentation.prediction.pixel_size_um", case.get("modality"))
             for name, case in tqdm(cases.items(), desc="nnU-Net prediction", unit="image")}
    seconds_per_image = (time.perf_counter() - started) / len(masks)
    logger.info("Predicted %d image(s), %.1f s per image.", len(masks), seconds_per_image)
    return masks, cases, as_mlflow_metrics({"prediction_seconds_per_image": seconds_per_image})


def evaluate_segmentations(masks: dict[str, np.ndarray], cases: Cases,
                           evaluation: EvaluationParams) -> tuple[pd.DataFrame, pd.DataFrame, Figure, MlflowMetrics]:
    """Compare predictions with the ground truth where it exists, and measure every axon.

    Returns:
        ``metrics`` (one row per image: Dice/IoU per class, detection, morphometric errors, or
        only the predicted morphometrics without ground truth), ``morphometrics`` (one row per
        predicted axon), an overlay figure of the first ``overlay_images`` images, and the mean of
        each metric as MLflow metrics (catalog ``{arm}.evaluation_mlflow``: ``<arm>.<metric>``).
    """
    min_iou = evaluation.min_iou
    min_area = evaluation.min_axon_area_px
    metric_rows, axon_tables, panels = [], [], []
    for name, predicted in tqdm(masks.items(), desc="evaluation", unit="image"):
        case = cases[name]
        size = case["pixel_size_um"]
        reference = read_labels_of(case["label"], case["image"], predicted.shape) if case["label"] else None
        row: dict[str, Any] = {"image": name, "pixel_size_um": size}
        if reference is None:
            row.update(image_morphometrics(predicted, size, min_area))
        else:
            row.update(compare_segmentations(reference, predicted, size, min_iou, min_area))
        metric_rows.append(row)
        axon_tables.append(axon_morphometrics(predicted, size, min_area).assign(image=name))
        if len(panels) < evaluation.overlay_images:
            panels.append((name, read_grayscale(case["image"]), predicted, reference))
    metrics = pd.DataFrame(metric_rows)
    morphometrics = pd.concat(axon_tables, ignore_index=True) if axon_tables else pd.DataFrame()
    means = metrics.drop(columns=["image"]).mean(numeric_only=True)
    logger.info("Segmentation means over %d image(s): %s", len(metrics),
                {k: round(float(v), 4) for k, v in means.items() if k.startswith(("dice", "axon_"))})
    return metrics, morphometrics, overlay_figure(panels), as_mlflow_metrics(means.to_dict())


def axondeepseg_results(masks: dict[str, np.ndarray], cases: Cases,
                        evaluation: EvaluationParams) -> dict[str, AxonDeepSegResult]:
    """Every prediction as AxonDeepSeg users read it (catalog ``{arm}.axondeepseg_results``):
    AxonDeepSeg-named masks and ``<image>_axon_morphometrics`` (µm where the pixel size is known)."""
    return {name: axondeepseg_result(labels, cases[name]["pixel_size_um"], evaluation.min_axon_area_px)
            for name, labels in masks.items()}

"""Nodes of the faithfulness pipeline: segment translations with an oracle, score, summarise, plot.

The translated images come from the arm's translation entry (a tutorship nnU-Net dataset or an
adaptation folder, both with ``translated_to_original.json``); the oracle (an nnU-Net trained on
the translations' modality) from another arm's ``nnunet_plan`` and ``nnunet_fold_<slot>`` entries,
predicting with ``segmentation.prediction`` and matching fibres with ``segmentation.evaluation``.
Parameters: the ``faithfulness`` block of ``conf/base/parameters_faithfulness.yml``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.evaluation.faithfulness import faithfulness_of_image
from axondeepsynth.evaluation.faithfulness_cases import FaithfulnessCase, read_faithfulness_cases
from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample, WorstExamples
from axondeepsynth.evaluation.faithfulness_figure import worst_translations_figure
from axondeepsynth.evaluation.faithfulness_paired import score_against_rendering
from axondeepsynth.evaluation.faithfulness_table import (
    IMAGE_COLUMN,
    faithfulness_score,
    faithfulness_table,
    summarise_faithfulness,
)
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.prediction import TrainedSegmenter, load_segmenter
from axondeepsynth.nnunet.raw_dataset import dataset_modality
from axondeepsynth.parameters.faithfulness import FaithfulnessParams
from axondeepsynth.parameters.segmentation import EvaluationParams, PredictionParams
from axondeepsynth.pipelines.mlflow_metrics import MlflowMetrics, as_mlflow_metrics
from axondeepsynth.translation.paired_renderings import index_paired_renderings
from axondeepsynth.translation.translation_manifest import TranslationManifest

logger = logging.getLogger(__name__)

Translated = TranslationManifest | NnUNetRawHandle
"""An adaptation folder's manifest, or a tutorship nnU-Net dataset (its manifest inside)."""


def _manifest(translated: Translated) -> TranslationManifest:
    return translated if isinstance(translated, TranslationManifest) else translated.translation


def _oracle(plan: dict[str, Any], folds: tuple[dict[str, Any], ...],
            prediction: PredictionParams) -> TrainedSegmenter:
    """The oracle: the trained folds (``prediction.folds`` picks a subset) of one arm, with the
    pixel size and modality they were trained at."""
    trained = [fold for fold in folds if not fold.get("skipped")]
    if not trained:
        raise ValueError(f"the oracle '{plan['dataset_name']}' has no trained fold; train it first "
                         "(segmentation.training.folds).")
    activate_nnunet_environment(plan["base_dir"])
    selected = list(prediction.folds) if prediction.folds else [fold["fold"] for fold in trained]
    return load_segmenter(trained[0]["model_dir"], selected, prediction.settings())


def _score(cases: list[FaithfulnessCase], manifest: TranslationManifest, oracle: TrainedSegmenter,
           evaluation: EvaluationParams, params: FaithfulnessParams,
           paired: Path | None) -> tuple[pd.DataFrame, list[FaithfulnessExample]]:
    renderings = index_paired_renderings(paired, manifest.source_contrast) if paired is not None else {}
    worst = WorstExamples(params.figure_images)
    rows = []
    for case in tqdm(cases, desc="faithfulness", unit="image"):
        translation = read_grayscale(case.translation_path)
        carried = read_label_map(case.label_path)
        pixel_size = case.pixel_size_um or params.pixel_size_um
        prediction = oracle.segment(translation, str(case.translation_path), pixel_size,
                                    "faithfulness.pixel_size_um", case.modality)
        metrics = faithfulness_of_image(carried, prediction, pixel_size, evaluation.min_iou,
                                        evaluation.min_axon_area_px)
        metrics.update(score_against_rendering(case.name, case.source_path, translation, renderings))
        source = read_grayscale(case.source_path)
        score = faithfulness_score(metrics, params.thresholds)
        worst.add(FaithfulnessExample(case.name, score, source, translation, carried, prediction))
        rows.append({IMAGE_COLUMN: case.name, "source_image": str(case.source_path), "pixel_size_um": pixel_size,
                     "length_unit": "px" if pixel_size is None else "um", **metrics})
    return faithfulness_table(rows), worst.worst_first()


def score_translations(translated: Translated, oracle_plan: dict[str, Any], prediction: PredictionParams,
                       evaluation: EvaluationParams, params: FaithfulnessParams, paired: Path | None,
                       *oracle_folds: dict[str, Any]) -> tuple[pd.DataFrame, list[FaithfulnessExample]]:
    """Segment every translated image with the oracle and compare with the labels it carries
    (a tutorship dataset's ``labelsTr``). Each image is segmented at the oracle's pixel size and its
    mask brought back to the image's size, as in segmentation (the image's pixel size: the one the
    dataset records, else ``faithfulness.pixel_size_um``).

    Returns:
        The per-image table (``image``, ``source_image``, ``pixel_size_um``, ``length_unit``, the
        metrics of :func:`~axondeepsynth.evaluation.faithfulness.faithfulness_of_image`, and
        ``psnr_db``/``ssim`` against ``inputs.paired`` renderings when there are some) and the
        ``figure_images`` least faithful examples with their pixels, worst first.
    """
    manifest = _manifest(translated)
    cases = read_faithfulness_cases(manifest.output_dir)
    logger.info("Evaluating the faithfulness of %d translation(s) in %s.", len(cases), manifest.output_dir)
    return _score(cases, manifest, _oracle(oracle_plan, oracle_folds, prediction), evaluation, params, paired)


def score_adapted_translations(translated: Translated, labelled_source: NnUNetRawHandle, oracle_plan: dict[str, Any],
                               prediction: PredictionParams, evaluation: EvaluationParams,
                               params: FaithfulnessParams, paired: Path | None,
                               *oracle_folds: dict[str, Any]) -> tuple[pd.DataFrame, list[FaithfulnessExample]]:
    """As :func:`score_translations`, the carried labels (and pixel sizes, and the modality they
    belong to) taken from ``labelled_source``, the dataset whose images were translated (the
    adaptation arm)."""
    manifest = _manifest(translated)
    cases = read_faithfulness_cases(manifest.output_dir, discover_images(labelled_source.path),
                                    dataset_modality(labelled_source.dataset_json))
    logger.info("Evaluating the faithfulness of %d translation(s) in %s.", len(cases), manifest.output_dir)
    return _score(cases, manifest, _oracle(oracle_plan, oracle_folds, prediction), evaluation, params, paired)


def summarise_translations(table: pd.DataFrame, params: FaithfulnessParams) -> tuple[dict[str, Any], MlflowMetrics]:
    """Means over images, fibre totals and the images below ``faithfulness.thresholds``.

    Logs a WARNING naming the unfaithful images. Returns the summary and its finite numbers as
    MLflow metrics (catalog ``{arm}.faithfulness_mlflow``: ``<arm>.faithfulness.<key>``).
    """
    summary = summarise_faithfulness(table, params.thresholds)
    headline = {key: summary.get(f"mean_{key}") for key in params.thresholds}
    logger.info("Faithfulness over %d image(s), means: %s", summary["images"], headline)
    return summary, as_mlflow_metrics(summary)


def plot_worst_translations(examples: list[FaithfulnessExample], translated: Translated) -> Figure:
    """The figure of the least faithful translations (see :mod:`~axondeepsynth.evaluation.faithfulness_figure`)."""
    manifest = _manifest(translated)
    title = (f"Least faithful {manifest.source_contrast} -> {manifest.target_contrast} translations "
             f"({manifest.mode})")
    return worst_translations_figure(examples, title)

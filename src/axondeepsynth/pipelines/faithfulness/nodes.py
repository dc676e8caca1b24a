"""Nodes of the faithfulness pipeline: segment translations with an oracle, score, summarise, plot.

The translated images are located through the translation's manifest (catalog
``translation_output``) unless ``faithfulness.translated_dir`` names another translated folder;
the oracle (an nnU-Net model trained on real labels of the target modality) through
``faithfulness.oracle``, shaped like the ``segmentation`` parameters. Parameters are the
``faithfulness`` block of ``conf/base/parameters_faithfulness.yml``.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm

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
from axondeepsynth.nnunet.prediction import load_predictor, segment_image
from axondeepsynth.pipelines.faithfulness.parameters import FaithfulnessParameters, parse_faithfulness_parameters
from axondeepsynth.translation.paired_renderings import index_paired_renderings
from axondeepsynth.translation.translation_manifest import TranslationManifest

logger = logging.getLogger(__name__)


def _cases(manifest: TranslationManifest, parsed: FaithfulnessParameters) -> list[FaithfulnessCase]:
    translated_dir = parsed.translated_dir or Path(manifest.output_dir)
    records = discover_images(parsed.source_dataset, parsed.exclude_dirs) if parsed.source_dataset else None
    cases = read_faithfulness_cases(translated_dir, records)
    logger.info("Evaluating the faithfulness of %d translation(s) in %s.", len(cases), translated_dir)
    return cases


def score_translations(manifest: TranslationManifest, params: dict[str, Any],
                       oracle: dict[str, Any]) -> tuple[pd.DataFrame, list[FaithfulnessExample]]:
    """Segment every translated image with the oracle and compare with the labels it carries.

    Args:
        manifest: the translation run (catalog ``translation_output``); names the translated folder.
        params: the ``faithfulness`` parameters.
        oracle: ``faithfulness.oracle`` (``segmentation``-shaped: nnunet, planning, training,
            prediction, evaluation).

    Returns:
        The per-image table (``image``, ``source_image``, ``pixel_size_um``, ``length_unit``, the
        metrics of :func:`~axondeepsynth.evaluation.faithfulness.faithfulness_of_image`, and
        ``psnr_db``/``ssim`` against paired renderings when ``paired_dir`` has them) and the
        ``figure_images`` least faithful examples with their pixels, worst first.
    """
    parsed = parse_faithfulness_parameters(params, oracle)
    cases = _cases(manifest, parsed)
    paired = (index_paired_renderings(parsed.paired_dir, manifest.source_contrast)
              if parsed.paired_dir is not None else {})
    activate_nnunet_environment(parsed.oracle.base_dir)
    predictor = load_predictor(parsed.oracle.model_dir(), parsed.oracle.folds, parsed.oracle.prediction)
    worst = WorstExamples(parsed.figure_images)
    rows = []
    for case in tqdm(cases, desc="faithfulness", unit="image"):
        translation = read_grayscale(case.translation_path)
        carried = read_label_map(case.label_path)
        prediction = segment_image(predictor, translation)
        pixel_size = case.pixel_size_um or parsed.pixel_size_um
        metrics = faithfulness_of_image(carried, prediction, pixel_size, parsed.min_iou, parsed.min_axon_area_px)
        metrics.update(score_against_rendering(case.name, case.source_path, translation, paired))
        source = read_grayscale(case.source_path)
        score = faithfulness_score(metrics, parsed.thresholds)
        worst.add(FaithfulnessExample(case.name, score, source, translation, carried, prediction))
        rows.append({IMAGE_COLUMN: case.name, "source_image": str(case.source_path), "pixel_size_um": pixel_size,
                     "length_unit": "px" if pixel_size is None else "um", **metrics})
    return faithfulness_table(rows), worst.worst_first()


def summarise_translations(table: pd.DataFrame, params: dict[str, Any], oracle: dict[str, Any]) -> dict[str, Any]:
    """Means over images, fibre totals and the images below ``faithfulness.thresholds``.

    Logs a WARNING naming the unfaithful images, and the finite numbers of the summary as
    ``<mlflow_prefix>.<key>`` metrics when an MLflow run is active.
    """
    parsed = parse_faithfulness_parameters(params, oracle)
    summary = summarise_faithfulness(table, parsed.thresholds)
    if mlflow.active_run() is not None:
        mlflow.log_metrics({f"{parsed.mlflow_prefix}.{key}": float(value) for key, value in summary.items()
                            if isinstance(value, (int, float)) and math.isfinite(value)})
    headline = {key: summary.get(f"mean_{key}") for key in parsed.thresholds}
    logger.info("Faithfulness over %d image(s), means: %s", summary["images"], headline)
    return summary


def plot_worst_translations(examples: list[FaithfulnessExample], manifest: TranslationManifest) -> Figure:
    """The figure of the least faithful translations (see :mod:`~axondeepsynth.evaluation.faithfulness_figure`)."""
    title = (f"Least faithful {manifest.source_contrast} -> {manifest.target_contrast} translations "
             f"({manifest.mode})")
    return worst_translations_figure(examples, title)

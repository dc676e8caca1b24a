"""Node of the experiment pipeline: would each arm change a scientist's g-ratio conclusions?

Beside Dice, the report compares every arm's morphometrics with the ground truth of the same
held-out target images (:mod:`axondeepsynth.evaluation.morphometric_agreement`): per-axon g-ratio
and axon diameter distributions, Bland-Altman agreement on matched fibres, and the per-image
aggregate g-ratio errors.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from axondeepsynth.evaluation.morphometric_agreement import agreement_table, arm_morphometrics
from axondeepsynth.evaluation.morphometric_agreement_figure import agreement_figure
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.parameters.segmentation import EvaluationParams
from axondeepsynth.pipelines.experiment.report_table import ARM_ORDER

logger = logging.getLogger(__name__)

MARKDOWN_COLUMNS = {
    "matched_fibres": "matched fibres",
    "g_ratio_mean_predicted": "mean g-ratio",
    "g_ratio_bias": "g-ratio bias",
    "g_ratio_lower": "g-ratio LoA low",
    "g_ratio_upper": "g-ratio LoA high",
    "axon_diameter_bias": "diameter bias",
    "g_ratio_ks": "g-ratio KS",
    "axon_diameter_ks": "diameter KS",
    "aggregate_g_ratio_mae": "aggregate g-ratio MAE",
}


def compare_arm_morphometrics(evaluation: EvaluationParams, **inputs: Any) -> tuple[pd.DataFrame, str, Figure]:
    """Morphometric agreement of every arm with the ground truth.

    Args:
        evaluation: ``params:segmentation.evaluation`` (``min_iou``, ``min_axon_area_px``).
        inputs: ``<arm>_masks`` ({name: 0/1/2 map}) and ``<arm>_cases`` ({name: {"label", "pixel_size_um"}})
            for each arm of :data:`ARM_ORDER` that ran.

    Returns:
        The table (one row per arm: see :func:`~axondeepsynth.evaluation.morphometric_agreement.agreement_summary`),
        its Markdown section for the report, and the figure (histograms and Bland-Altman plots per arm).
    """
    arms = {}
    for arm in ARM_ORDER:
        if f"{arm}_masks" not in inputs:
            continue
        cases = inputs[f"{arm}_cases"]
        references = {name: read_label_map(case["label"]) for name, case in cases.items() if case.get("label")}
        arms[arm] = arm_morphometrics(references, inputs[f"{arm}_masks"],
                                      {name: case.get("pixel_size_um") for name, case in cases.items()},
                                      evaluation.min_iou, evaluation.min_axon_area_px)
    table = agreement_table(arms).reset_index()
    units = {arm: data.unit for arm, data in arms.items()}
    shown = table[["arm", *MARKDOWN_COLUMNS]].rename(columns=MARKDOWN_COLUMNS)
    markdown = ("## Morphometrics against the ground truth\n\n"
                "Per-axon g-ratio and axon diameter (µm where pixel sizes are known; "
                f"units per arm: {units}); bias and 95 % limits of agreement (LoA) on matched fibres, "
                "Kolmogorov-Smirnov distance between predicted and reference distributions, mean "
                "absolute error of the per-image aggregate g-ratio.\n\n"
                + shown.to_markdown(index=False, floatfmt=".3f") + "\n")
    logger.info("Morphometric agreement per arm:\n%s", shown.to_string(index=False))
    return table, markdown, agreement_figure(arms)

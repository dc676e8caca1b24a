"""Node of the experiment pipeline: gather every arm into the report (table, Markdown, figure)."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from axondeepsynth.pipelines.experiment.arms_figure import arms_figure
from axondeepsynth.pipelines.experiment.baselines_report import baselines_markdown
from axondeepsynth.pipelines.experiment.report_table import ARM_ORDER, build_report_table, report_markdown
from axondeepsynth.pipelines.experiment.target_split import target_split_markdown, with_target_split
from axondeepsynth.pipelines.mlflow_metrics import MlflowMetrics, as_mlflow_metrics

logger = logging.getLogger(__name__)

TRANSLATING_ARMS = ("tutorship", "adaptation", "non_diffusive_adaptation")


def _numeric(values: dict[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def build_experiment_report(**inputs: Any) -> tuple[pd.DataFrame, str, Figure, MlflowMetrics]:
    """The experiment report from each arm's segmentation metrics, masks and cases.

    Inputs are keyword arguments named ``<arm>`` (per-image metrics), ``<arm>_masks``,
    ``<arm>_cases``, ``<arm>_translation`` and ``<arm>_faithfulness`` (translating arms) and
    ``syndiff_summary``; with ``arm_costs``
    (:func:`~axondeepsynth.pipelines.experiment.baselines_report.measure_arm_costs`),
    ``<arm>_kid`` and ``trust_summary`` the Markdown ends with the ranking of every arm by cost and
    gain, KID and the trust map's AUC; ``seed_spread_markdown`` and ``morphometrics_markdown`` are
    the seed spread's and the morphometrics' sections. Returns the table, its Markdown, the arms
    figure and each arm's row as MLflow metrics (catalog ``experiment_mlflow``:
    ``report.<arm>.<metric>``). ``transductive`` (``inputs.target.transductive``) adds the
    ``target_split`` column and the line saying whether SynDiff saw the target test images.
    """
    arm_metrics = {arm: inputs[arm] for arm in ARM_ORDER if arm in inputs}
    table = build_report_table(
        arm_metrics,
        {arm: _numeric(inputs[f"{arm}_translation"]) for arm in TRANSLATING_ARMS if f"{arm}_translation" in inputs},
        {arm: _numeric(inputs[f"{arm}_faithfulness"]) for arm in TRANSLATING_ARMS if f"{arm}_faithfulness" in inputs},
    )
    if "transductive" in inputs:  # params:inputs.target.transductive
        table = with_target_split(table, inputs["transductive"])
    metrics = as_mlflow_metrics({f"{row['arm']}.{key}": value for row in table.to_dict("records")
                                 for key, value in _numeric(row).items()})
    logger.info("Experiment report:\n%s", table[["arm", "dice_foreground", "dice_myelin", "dice_axon"]]
                .to_string(index=False))
    figure = arms_figure({arm: inputs[f"{arm}_masks"] for arm in arm_metrics},
                         {arm: inputs[f"{arm}_cases"] for arm in arm_metrics})
    markdown = report_markdown(table, inputs["syndiff_summary"])
    if "transductive" in inputs:
        markdown += "\n" + target_split_markdown(inputs["transductive"]) + "\n"
    if "arm_costs" in inputs:
        kid = {arm: inputs[f"{arm}_kid"] for arm in ARM_ORDER if f"{arm}_kid" in inputs}
        markdown += "\n" + baselines_markdown(table, inputs["arm_costs"], kid, inputs.get("trust_summary", {}))
    markdown += "\n" + inputs.get("seed_spread_markdown", "")  # summarise_seed_spread's section
    markdown += "\n" + inputs.get("morphometrics_markdown", "")  # compare_arm_morphometrics' section
    return table, markdown, figure, metrics

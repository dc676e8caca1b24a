"""Nodes of the experiment's seed replicates: each slot's SynDiff seed, and the spread over seeds.

The main run trains SynDiff with ``syndiff_training.seed``; replicate slot ``k`` trains with
``seed + k`` (:func:`with_slot_seed`) and runs the SynDiff-dependent arms again. The report then
gives each of those arms' mean foreground, myelin and axon Dice and their standard deviation
over the seeds that ran (:func:`summarise_seed_spread`).
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from axondeepsynth.artifacts.skipped_seed_slot import SkippedSeedSlot
from axondeepsynth.evaluation.seed_spread import seed_rows, seed_spread
from axondeepsynth.parameters.experiment import ExperimentParams
from axondeepsynth.parameters.syndiff_training import SynDiffTrainingParams
from axondeepsynth.pipelines.experiment.report_table import arm_row
from axondeepsynth.pipelines.mlflow_metrics import MlflowMetrics, as_mlflow_metrics

logger = logging.getLogger(__name__)

SPREAD_COLUMNS: tuple[str, ...] = ("dice_foreground", "dice_myelin", "dice_axon")


def with_slot_seed(settings: SynDiffTrainingParams, slot: int) -> SynDiffTrainingParams:
    """``syndiff_training`` for replicate slot ``slot``: the same settings with seed ``seed + slot``."""
    return settings.model_copy(update={"seed": settings.seed + slot})


def _slot_metrics(inputs: dict[str, Any], slot: int) -> dict[str, pd.DataFrame] | None:
    """``{arm: per-image metrics}`` of replicate slot ``slot``, or None when it was skipped."""
    tables = {key.removeprefix(f"seed_{slot}_"): value for key, value in inputs.items()
              if key.startswith(f"seed_{slot}_")}
    if any(isinstance(table, SkippedSeedSlot) for table in tables.values()):
        return None
    return tables


def summarise_seed_spread(experiment: ExperimentParams, syndiff_training: SynDiffTrainingParams,
                          **inputs: Any) -> tuple[pd.DataFrame, str, MlflowMetrics]:
    """Mean and standard deviation of each replicated arm's Dice over the SynDiff seeds that ran.

    Args:
        experiment: ``params:experiment`` (``seeds``: how many ran).
        syndiff_training: ``params:syndiff_training`` (the main run's ``seed``).
        inputs: ``<arm>`` per-image metrics of the main run and ``seed_<k>_<arm>`` those of
            replicate slot ``k`` (a :class:`SkippedSeedSlot` where the slot did not run).

    Returns:
        The table (catalog ``experiment_seed_spread``: one row per arm, ``seeds``, ``<metric>_mean``,
        ``<metric>_std``, and the per-seed values ``<metric>_seed_<seed>``), its Markdown section of
        the report, and MLflow metrics ``seed_spread.<arm>.<metric>_mean|_std``.
    """
    slots = sorted({int(key.split("_")[1]) for key in inputs if key.startswith("seed_")})
    per_seed = {syndiff_training.seed: {arm: value for arm, value in inputs.items() if not arm.startswith("seed_")}}
    for slot in slots:
        tables = _slot_metrics(inputs, slot)
        if tables is not None:
            per_seed[syndiff_training.seed + slot] = tables
    rows = seed_rows({seed: pd.DataFrame([arm_row(arm, metrics) for arm, metrics in tables.items()])
                      for seed, tables in per_seed.items()})
    table = seed_spread(rows, SPREAD_COLUMNS)
    per_seed_values = rows.pivot(index="arm", columns="seed", values=list(SPREAD_COLUMNS))
    for column, seed in per_seed_values.columns:
        table[f"{column}_seed_{seed}"] = table["arm"].map(per_seed_values[(column, seed)])
    logger.info("Seed spread over %d SynDiff seed(s) %s:\n%s", len(per_seed), sorted(per_seed),
                table.to_string(index=False))
    metrics = as_mlflow_metrics({f"{row['arm']}.{column}_{statistic}": row[f"{column}_{statistic}"]
                                 for row in table.to_dict("records") for column in SPREAD_COLUMNS
                                 for statistic in ("mean", "std") if pd.notna(row[f"{column}_{statistic}"])})
    return table, seed_spread_markdown(table, sorted(per_seed), experiment.seeds), metrics


def seed_spread_markdown(table: pd.DataFrame, seeds: list[int], requested: int) -> str:
    """The report's section: mean +- standard deviation per arm, and the seeds behind them."""
    lines = ["## Seed spread of the SynDiff arms", ""]
    if len(seeds) < 2:
        lines.append(f"One SynDiff seed ({seeds[0]}) ran, so no spread is measured: a single run can mislead. "
                     "Set `experiment.seeds: 3` (as `conf/full` does) to train SynDiff three times and report "
                     "each SynDiff arm's mean and standard deviation.")
        return "\n".join(lines) + "\n"
    if len(seeds) < requested:
        lines.append(f"Only {len(seeds)} of the {requested} requested seeds have results.")
    summary = pd.DataFrame({"arm": table["arm"], "seeds": table["seeds"],
                            **{column: [f"{mean:.3f} ± {std:.3f}" for mean, std in
                                        zip(table[f"{column}_mean"], table[f"{column}_std"], strict=True)]
                               for column in SPREAD_COLUMNS}})
    lines += [f"Each arm that depends on SynDiff, over SynDiff seeds {', '.join(map(str, seeds))} "
              "(mean ± sample standard deviation; the tables above are the first seed's run):", "",
              summary.to_markdown(index=False)]
    return "\n".join(lines) + "\n"

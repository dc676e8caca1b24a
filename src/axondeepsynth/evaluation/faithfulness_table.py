"""Per-image faithfulness rows, their summary, and the images that fall below thresholds.

One row per translated image lets a user sort and find the worst translations; the summary
(means over images, total fibres invented and lost) is what an experiment report and MLflow show.
An image is *unfaithful* when any thresholded metric falls below its minimum; a metric that is
undefined for an image (NaN: e.g. recall of an image whose carried labels hold no axon) does not
flag it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from axondeepsynth.evaluation.faithfulness import FAITHFULNESS_COLUMNS

logger = logging.getLogger(__name__)

IMAGE_COLUMN = "image"
DEFAULT_THRESHOLDS = {"dice_myelin": 0.9, "dice_axon": 0.9, "axon_precision": 0.95, "axon_recall": 0.95}
_TOTAL_COLUMNS = ("num_axons_carried", "num_axons_predicted", "fibres_matched", "fibres_invented", "fibres_lost")


def faithfulness_score(metrics: Mapping[str, Any], columns: Iterable[str]) -> float:
    """Mean of the defined values of ``columns`` in one image's metrics (NaN when none is defined).

    Used to rank images from least to most faithful; higher is better, 1.0 is perfect for the
    default columns (Dice, precision, recall).
    """
    values = [float(metrics[c]) for c in columns if c in metrics and not math.isnan(float(metrics[c]))]
    return float(np.mean(values)) if values else float("nan")


def faithfulness_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (each with an ``image`` name and the metrics of one image) as a table sorted by image.

    Raises:
        ValueError: a row has no ``image`` name, or two rows share one.
    """
    table = pd.DataFrame(list(rows))
    if table.empty:
        return pd.DataFrame(columns=[IMAGE_COLUMN, *FAITHFULNESS_COLUMNS])
    if IMAGE_COLUMN not in table or table[IMAGE_COLUMN].isna().any():
        raise ValueError(f"every faithfulness row needs an '{IMAGE_COLUMN}' name.")
    duplicated = table[IMAGE_COLUMN][table[IMAGE_COLUMN].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"faithfulness rows repeat the image name(s) {duplicated}; image names must be unique.")
    first = [IMAGE_COLUMN] + [c for c in FAITHFULNESS_COLUMNS if c in table]
    return table[first + [c for c in table.columns if c not in first]].sort_values(IMAGE_COLUMN, ignore_index=True)


def _failures(row: pd.Series, thresholds: Mapping[str, float]) -> list[str]:
    return [f"{column} {row[column]:.3f} < {minimum:g}" for column, minimum in thresholds.items()
            if not math.isnan(float(row[column])) and float(row[column]) < minimum]


def unfaithful_reasons(table: pd.DataFrame, thresholds: Mapping[str, float]) -> dict[str, list[str]]:
    """``{image: ["dice_axon 0.812 < 0.9", ...]}`` for every image below any threshold.

    Raises:
        KeyError: a threshold names a column the table does not have (naming the valid ones).
    """
    unknown = [column for column in thresholds if column not in table.columns]
    if unknown:
        raise KeyError(
            f"faithfulness thresholds name unknown metric(s) {unknown}; use columns of the per-image "
            f"table such as {list(DEFAULT_THRESHOLDS)}."
        )
    reasons = {}
    for _, row in table.iterrows():
        failures = _failures(row, thresholds)
        if failures:
            reasons[str(row[IMAGE_COLUMN])] = failures
    return reasons


def _log_unfaithful(reasons: Mapping[str, list[str]], total: int) -> None:
    if reasons:
        details = "; ".join(f"{image} ({', '.join(failed)})" for image, failed in reasons.items())
        logger.warning("Translation faithfulness below thresholds for %d of %d image(s): %s",
                       len(reasons), total, details)


def flag_unfaithful(table: pd.DataFrame, thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> list[str]:
    """Names of the images whose faithfulness falls below ``thresholds`` (metric -> minimum).

    Logs one WARNING naming each flagged image and the metrics that failed.
    """
    reasons = unfaithful_reasons(table, thresholds)
    _log_unfaithful(reasons, len(table))
    return list(reasons)


def summarise_faithfulness(table: pd.DataFrame, thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> dict[str, Any]:
    """Means over images of every numeric column, fibre totals, and the unfaithful images.

    Logs the same WARNING as :func:`flag_unfaithful` when images fall below ``thresholds``.

    Returns:
        ``{"images": n, "mean_<column>": ..., "total_<count column>": ..., "unfaithful_images": k,
        "unfaithful": {image: [reasons]}, "thresholds": {...}}``; means skip NaN and are ``None``
        (JSON null) when no image defines the column.
    """
    numeric = table.select_dtypes(include="number").drop(columns=["pixel_size_um"], errors="ignore")
    summary: dict[str, Any] = {"images": len(table)}
    for column in numeric.columns:
        values = numeric[column].to_numpy(dtype=float)
        summary[f"mean_{column}"] = float(np.nanmean(values)) if np.isfinite(values).any() else None
    for column in _TOTAL_COLUMNS:
        if column in table:
            summary[f"total_{column}"] = float(table[column].sum())
    reasons = unfaithful_reasons(table, thresholds)
    _log_unfaithful(reasons, len(table))
    summary["unfaithful_images"] = len(reasons)
    summary["unfaithful"] = reasons
    summary["thresholds"] = dict(thresholds)
    return summary

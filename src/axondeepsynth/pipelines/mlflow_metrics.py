"""Metrics for the catalog's MLflow entries (``kedro_mlflow``'s ``MlflowMetricsHistoryDataset``).

Nodes return plain numbers; this shapes them as that dataset saves them (``{name: {"value", "step"}}``,
or a list of those for a curve) and drops what MLflow cannot store (NaN, infinities, non-numbers).
The entry's ``prefix`` (``{arm}.<pipeline>`` through a dataset factory) names the arm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

MlflowMetrics = dict[str, dict[str, float] | list[dict[str, float]]]


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def as_mlflow_metrics(values: Mapping[str, Any], step: int = 0) -> MlflowMetrics:
    """``{name: {"value": v, "step": step}}`` for every finite number of ``values``."""
    return {name: {"value": float(value), "step": step} for name, value in values.items() if _finite(value)}


def as_mlflow_curves(curves: Mapping[str, Sequence[Any]]) -> MlflowMetrics:
    """``{name: [{"value", "step"}, ...]}``: one point per finite entry, its index as the step."""
    points = {name: [{"value": float(v), "step": step} for step, v in enumerate(values) if _finite(v)]
              for name, values in curves.items()}
    return {name: values for name, values in points.items() if values}

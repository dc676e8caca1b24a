"""MLflow metrics of the run being made: a record of the run, not an output a later run lacks.

kedro-mlflow's ``MlflowMetricsHistoryDataset`` "exists" only when the *current* MLflow run holds its
metrics, which a new run never does: ``kedro run --only-missing-outputs`` then re-runs every node
that logs metrics, however complete its files are (a finished ``data_engineering`` re-split and
re-wrote its HDF5 sets for its image counts). This dataset logs and loads exactly like it, but is
ephemeral to Kedro (as a ``MemoryDataset`` is): a node is re-run for its files, never for its
numbers, and a node that is skipped logs nothing into the new run.

Example catalog entry::

    data_engineering_metrics:
      type: axondeepsynth.datasets.run_metrics_dataset.RunMetricsDataset
      prefix: data_engineering
"""

from __future__ import annotations

from kedro_mlflow.io.metrics import MlflowMetricsHistoryDataset


class RunMetricsDataset(MlflowMetricsHistoryDataset):
    """``MlflowMetricsHistoryDataset`` that ``--only-missing-outputs`` never counts as missing."""

    _EPHEMERAL = True

"""Per-epoch metrics, figures and weights into the MLflow run of the ``kedro run``.

Training may run in processes spawned for DDP, where ``mlflow.active_run()`` is unset; the
logger therefore holds the run id and tracking URI of the parent's run and logs through an
``MlflowClient``, which works in any process. Without an active run nothing is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import mlflow
from matplotlib.figure import Figure
from mlflow.tracking import MlflowClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunLogger:
    """Logs to one MLflow run (``run_id`` None: a silent no-op logger).

    ``namespace`` (e.g. ``seed_1``, a replicate seed slot of the experiment) prefixes every metric
    key (``seed_1.loss``) and artifact path (``seed_1/syndiff_validation/...``), so that several
    trainings log into one run side by side.
    """

    run_id: str | None = None
    tracking_uri: str | None = None
    namespace: str | None = None

    @classmethod
    def from_active_run(cls, namespace: str | None = None) -> RunLogger:
        """Bound to the active MLflow run (kedro-mlflow opens one per ``kedro run``), if any."""
        run = mlflow.active_run()
        if run is None:
            return cls()
        return cls(run.info.run_id, mlflow.get_tracking_uri(), namespace)

    def _key(self, key: str) -> str:
        return f"{self.namespace}.{key}" if self.namespace else key

    def _path(self, path: str) -> str:
        return f"{self.namespace}/{path}" if self.namespace else path

    def _client(self) -> MlflowClient:
        return MlflowClient(tracking_uri=self.tracking_uri)

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        """Step metrics (``step`` = epoch) of the run."""
        if self.run_id is None:
            return
        client = self._client()
        for key, value in metrics.items():
            client.log_metric(self.run_id, self._key(key), float(value), step=step)

    def log_figure(self, figure: Figure, artifact_file: str) -> None:
        if self.run_id is not None:
            self._client().log_figure(self.run_id, figure, self._path(artifact_file))

    def log_files(self, paths: Iterable[Path], artifact_path: str) -> None:
        if self.run_id is None:
            return
        client = self._client()
        for path in paths:
            client.log_artifact(self.run_id, str(path), artifact_path=self._path(artifact_path))

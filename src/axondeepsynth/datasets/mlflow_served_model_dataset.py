"""Kedro dataset that logs a served model into the run's MLflow run, and loads the latest one back.

Saving a :class:`~axondeepsynth.serving.model_logging.SegmenterSpec` or ``AdaptationSpec`` logs it
as the pyfunc model ``name`` in the active MLflow run (kedro-mlflow opens one per ``kedro run``),
with its weights as artifacts. Loading returns the most recently logged model of that name in the
current MLflow experiment (``mlflow.pyfunc.PyFuncModel``), ready to ``predict``.

Example catalog entry::

    adaptation_model:
      type: axondeepsynth.datasets.mlflow_served_model_dataset.MlflowServedModelDataset
      name: adaptation_segmenter
"""

from __future__ import annotations

import logging
from typing import Any

import mlflow
from kedro.io import AbstractDataset, DatasetError
from mlflow.pyfunc import PyFuncModel

from axondeepsynth.serving.model_logging import AdaptationSpec, SegmenterSpec

logger = logging.getLogger(__name__)


class MlflowServedModelDataset(AbstractDataset[SegmenterSpec | AdaptationSpec, PyFuncModel]):
    """One named served model in the MLflow tracking store."""

    def __init__(self, name: str, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            name: the model's name in its run (``mlflow models predict -m models:/<model id>`` finds it by id).
            metadata: free-form, ignored by Kedro.
        """
        self._name = name
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"name": self._name}

    def _latest_uri(self) -> str | None:
        models = mlflow.search_logged_models(
            filter_string=f"name = '{self._name}'", max_results=1, output_format="list",
            order_by=[{"field_name": "creation_time", "ascending": False}],
        )
        return models[0].model_uri if models else None

    def _exists(self) -> bool:
        return self._latest_uri() is not None

    def load(self) -> PyFuncModel:
        uri = self._latest_uri()
        if uri is None:
            raise DatasetError(f"No MLflow model named '{self._name}' in the current experiment; run "
                               "`kedro run` (the experiment logs it) first.")
        logger.info("Loading MLflow model '%s' from %s.", self._name, uri)
        return mlflow.pyfunc.load_model(uri)

    def save(self, data: SegmenterSpec | AdaptationSpec) -> None:
        data.log(self._name)

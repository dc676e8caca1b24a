"""``--only-missing-outputs`` after a complete run: metrics logged to MLflow do not make a node re-run.

The data_engineering split (phantom sources) runs once in one MLflow run, then again in a new run
with ``only_missing_outputs``, as ``kedro run --only-missing-outputs`` does: with kedro-mlflow's
``MlflowMetricsHistoryDataset`` for its image counts the split runs again (and refuses to replace
its HDF5 sets), with :class:`RunMetricsDataset` it is skipped.
"""

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest
from kedro.io import DataCatalog, DatasetError
from kedro.runner import SequentialRunner
from kedro_mlflow.io.metrics import MlflowMetricsHistoryDataset

from axondeepsynth.datasets.phantom_dataset import PhantomDataset
from axondeepsynth.datasets.run_metrics_dataset import RunMetricsDataset
from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset
from axondeepsynth.pipelines.data_engineering import create_pipeline

SPLIT = create_pipeline().to_outputs("syndiff_train")
"""generate_phantoms -> discover_sources -> split_syndiff_sources."""


def _run_twice(phantom_root: Path, out: Path, params: dict, add_parameters, metrics_type: type) -> dict[Path, int]:
    """Run :data:`SPLIT`, then again with ``only_missing_outputs`` in a new MLflow run; the HDF5 sets'
    modification times after the first run."""
    def catalog() -> DataCatalog:
        datasets = {"phantoms": PhantomDataset(str(phantom_root)),
                    "data_engineering_metrics": metrics_type(prefix="data_engineering"),
                    **{f"syndiff_{s}": SynDiffHDF5Dataset(str(out / f"dataset_{s}.hdf5"))
                       for s in ("train", "val", "test", "paired")}}
        return add_parameters(DataCatalog(datasets), params)

    with mlflow.start_run() as first:
        SequentialRunner().run(SPLIT, catalog())
    assert mlflow.get_run(first.info.run_id).data.metrics["data_engineering.images.train.sem"] > 0
    written = {path: path.stat().st_mtime_ns for path in out.glob("*.hdf5")}
    assert len(written) == 4
    with mlflow.start_run():
        SequentialRunner().run(SPLIT, catalog(), only_missing_outputs=True)
    return written


def test_a_complete_split_is_not_run_again_for_its_metrics(phantom_root, tmp_path, inputs_of, shipped_parameters,
                                                           add_parameters):
    params = shipped_parameters(inputs=inputs_of())
    written = _run_twice(phantom_root, tmp_path / "run_metrics", params, add_parameters, RunMetricsDataset)
    assert {path: path.stat().st_mtime_ns for path in written} == written


def test_kedro_mlflow_metrics_count_as_missing_in_every_new_run(phantom_root, tmp_path, inputs_of,
                                                                shipped_parameters, add_parameters):
    params = shipped_parameters(inputs=inputs_of())
    with pytest.raises(DatasetError, match="overwrite"):
        _run_twice(phantom_root, tmp_path / "mlflow_metrics", params, add_parameters, MlflowMetricsHistoryDataset)

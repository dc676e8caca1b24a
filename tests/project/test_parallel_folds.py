"""Two nnU-Net folds train at the same time in one ``kedro run --runner ParallelRunner`` (CPU).

The fold slots are independent nodes of the data graph, so Kedro's ParallelRunner runs the two
selected ones side by side; the folds are chosen by a conf environment (``--env``), not by the
code that builds the pipeline. The run is the real CLI in a copy of the session's project after
data_engineering (``engineered_copy``), with ``KEDRO_MP_CONTEXT=spawn`` so that no worker inherits
the parent's threads (KEDRO_NOTES: never fork after CUDA or OpenMP started). Overlap is read from
nnU-Net's own files: each fold's training log is named after its start time, its final checkpoint
is written when it ends.

ParallelRunner pickles every dataset of the catalog, and kedro-mlflow's ``MlflowArtifactDataset``
(our figures and tables) cannot be pickled, so the environment also declares those entries as the
file datasets they wrap (the figures then stay out of the MLflow run). ThreadRunner is no way out:
nnU-Net's trainer lookup edits ``sys.modules`` and fails when two threads import at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import yaml

TWO_FOLDS = {"segmentation": {
    "nnunet": {"num_processes": 1},
    "training": {"folds": [0, 1], "num_epochs": 1, "iterations_per_epoch": 2, "val_iterations_per_epoch": 1,
                 "validate": False, "device": "cpu"},
    "prediction": {"use_mirroring": False, "device": "cpu"},
}}


def _kedro(project: Path, *args: str) -> None:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", "KEDRO_MP_CONTEXT": "spawn", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-m", "kedro", "run", *args], cwd=project, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]


def _without_mlflow_artifacts(catalog: dict) -> dict:
    """Every ``MlflowArtifactDataset`` entry of ``catalog`` as the file dataset it wraps."""
    return {name: entry["dataset"] for name, entry in catalog.items()
            if isinstance(entry, dict) and entry.get("type", "").endswith("MlflowArtifactDataset")}


def _training_window(fold_dir: Path) -> tuple[datetime, datetime]:
    log = next(fold_dir.glob("training_log_*.txt"))
    start = datetime.strptime(log.stem.removeprefix("training_log_"), "%Y_%m_%d_%H_%M_%S")
    end = datetime.fromtimestamp((fold_dir / "checkpoint_final.pth").stat().st_mtime)
    return start, end


def test_two_folds_train_concurrently_in_one_run(engineered_copy: Path) -> None:
    """After data_engineering on 3 phantom subjects (one held out): folds 0 and 1, one subject each."""
    env = engineered_copy / "conf" / "two_folds"
    env.mkdir()
    (env / "parameters_segmentation.yml").write_text(yaml.safe_dump(TWO_FOLDS))
    for conf_file in (engineered_copy / "conf" / "test").glob("*.yml"):  # its phantoms, the tests' MLflow
        shutil.copy2(conf_file, env / conf_file.name)
    base_catalog = yaml.safe_load((engineered_copy / "conf" / "base" / "catalog.yml").read_text())
    (env / "catalog.yml").write_text(yaml.safe_dump(_without_mlflow_artifacts(base_catalog)))
    _kedro(engineered_copy, "--env", "two_folds", "--pipeline", "segmentation", "--runner", "ParallelRunner")

    records = engineered_copy / "data" / "06_models" / "nnunet_records" / "segmentation"
    folds = {slot: json.loads((records / f"fold_{slot}.json").read_text()) for slot in ("0", "1", "2", "all")}
    assert not folds["0"]["skipped"] and not folds["1"]["skipped"]
    assert folds["2"]["skipped"] and folds["all"]["skipped"], "slots the env does not select do not train"
    (start_0, end_0), (start_1, end_1) = (_training_window(Path(folds[k]["model_dir"]) / f"fold_{k}") for k in "01")
    assert start_0 < end_1 and start_1 < end_0, f"fold 0 {start_0}-{end_0} and fold 1 {start_1}-{end_1} did not overlap"
    assert (engineered_copy / "data" / "08_reporting" / "segmentation" / "segmentation_metrics.csv").is_file()

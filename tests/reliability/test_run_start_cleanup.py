"""Leftovers and states of real ``kedro run``s: at the start of a run the leftovers of a killed write
beside its outputs are removed (and nothing else); a SIGTERM mid-run ends the run's MLflow run
KILLED and kills the process as by default, so a write under way leaves its temporary, which the
next run's start removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pytest
from kedro.framework.session import KedroSession
from reliability_helpers import checksums, killed_writer_leftover

from axondeepsynth.errors import MissingRunInputError
from axondeepsynth.imaging.atomic import TEMPORARY_NAME
from axondeepsynth.mlflow_run_status import PID_TAG
from axondeepsynth.stale_temporaries import remove_stale_temporaries


def test_run_removes_a_killed_writes_leftover_and_nothing_else(project: Path) -> None:
    raw = project / "data" / "06_models" / "nnunet" / "nnUNet_raw"  # beside tutorship.nnunet_raw
    leftover = killed_writer_leftover(raw / "Dataset511_TUTORSHIP")
    users_hidden = raw / ".notes.tmp"
    users_hidden.write_text("not ours")
    time.sleep(0.05)
    before = {k: v for k, v in checksums(project / "data").items() if leftover.name not in k}
    with pytest.raises(MissingRunInputError, match="syndiff_model"):  # the run itself cannot go on
        with KedroSession.create(project_path=project, env="test") as session:
            session.run(pipeline_names=["translation"])
    assert not leftover.exists()
    assert users_hidden.read_text() == "not ours"
    assert checksums(project / "data") == before


def _wait_for_running_run(client: mlflow.MlflowClient, process: subprocess.Popen, log: Path) -> str:
    """The id of the MLflow run that ``process`` opened, once its pipeline has started."""
    experiment = None
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"kedro run ended early: {log.read_text()[-3000:]}")
        experiment = experiment or client.get_experiment_by_name("axondeepsynth-tests")
        if experiment is not None:
            runs = client.search_runs([experiment.experiment_id],
                                      filter_string=f"tags.`{PID_TAG}` = '{process.pid}' "
                                                    "and attributes.status = 'RUNNING'")
            if runs:
                return runs[0].info.run_id
        time.sleep(0.2)
    raise AssertionError("kedro run never opened its MLflow run")


def test_sigterm_during_a_real_run_ends_it_killed_and_leaves_only_stale_temporaries(project: Path) -> None:
    inputs = checksums(project / "data" / "01_raw")
    log = project / "kedro_run.log"
    with log.open("w") as output:  # a file, not a pipe: a full pipe would block the run
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "kedro"), "run", "--env", "test", "--pipeline", "data_engineering",
             "--params", "data_engineering.overwrite=true,data_engineering.seed=7"],
            cwd=project, stdout=output, stderr=subprocess.STDOUT)
    client = mlflow.MlflowClient(os.environ["MLFLOW_TRACKING_URI"])
    run_id = _wait_for_running_run(client, process, log)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=120) == -signal.SIGTERM, log.read_text()[-3000:]
    assert client.get_run(run_id).info.status == "KILLED"
    leftovers = [p for p in (project / "data").rglob(".*") if TEMPORARY_NAME.match(p.name)]
    assert set(remove_stale_temporaries({p.parent for p in leftovers}, time.time())) == set(leftovers)
    assert checksums(project / "data" / "01_raw") == inputs

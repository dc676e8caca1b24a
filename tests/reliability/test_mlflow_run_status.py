"""An interrupted run ends KILLED in MLflow, and a run whose process was ``kill -9``-ed is marked
KILLED by the next run, instead of staying RUNNING for ever.

The processes are real: a Python process opens an MLflow run the way kedro-mlflow does, hands it to
:class:`~axondeepsynth.mlflow_run_status.MlflowRunStatusHooks` and works until it is signalled.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import mlflow

from axondeepsynth.mlflow_run_status import HOST_TAG, PID_TAG, close_abandoned_runs

_RUN = """
import sys, time
import mlflow
from axondeepsynth.mlflow_run_status import MlflowRunStatusHooks
mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("reliability")
mlflow.start_run(run_name=sys.argv[2])
MlflowRunStatusHooks().before_pipeline_run({})
print(mlflow.active_run().info.run_id, flush=True)
time.sleep(600)
"""


def _start(uri: str, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _RUN, uri, name], stdout=subprocess.PIPE, text=True)


def test_interrupted_runs_end_killed_and_live_ones_stay_running(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    mlflow.MlflowClient(uri).create_experiment("reliability")
    names = ("SIGTERM", "SIGINT", "kill -9")
    processes = {name: _start(uri, name) for name in names}  # started together: imports dominate
    run_ids = {name: process.stdout.readline().strip() for name, process in processes.items()}
    client = mlflow.MlflowClient(uri)
    experiment = client.get_experiment_by_name("reliability").experiment_id
    live = client.create_run(experiment, tags={PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()})
    run_ids["this live process"] = live.info.run_id
    assert {client.get_run(run_id).info.status for run_id in run_ids.values()} == {"RUNNING"}

    processes["SIGTERM"].send_signal(signal.SIGTERM)
    processes["SIGINT"].send_signal(signal.SIGINT)
    processes["kill -9"].kill()
    assert processes["SIGTERM"].wait(timeout=60) == 128 + signal.SIGTERM
    assert processes["SIGINT"].wait(timeout=60) == -signal.SIGINT  # KeyboardInterrupt, as without the hook
    processes["kill -9"].wait(timeout=60)
    assert client.get_run(run_ids["SIGTERM"]).info.status == "KILLED"
    assert client.get_run(run_ids["SIGINT"]).info.status == "KILLED"
    assert client.get_run(run_ids["kill -9"]).info.status == "RUNNING"  # nothing can run on kill -9 ...

    assert close_abandoned_runs(client, experiment) == [run_ids["kill -9"]]  # ... so the next run closes it
    assert client.get_run(run_ids["kill -9"]).info.status == "KILLED"
    assert client.get_run(run_ids["this live process"]).info.status == "RUNNING"

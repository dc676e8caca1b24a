"""With MlflowRunStatusHooks' SIGTERM handler in place, ``with multiprocessing.Pool(...)`` (nnU-Net's
integrity check, fingerprinting) still ends: ``Pool.terminate`` SIGTERMs its forked workers, which
must die as by default, also a worker that has not run yet when the signal comes (that signal used
to be lost in the child, which then waited for ever on the pool's queue lock, and the join hung).

Both tests run in a subprocess: they install signal handlers, fork and pin CPUs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_START_RUN = """
import os, signal, sys, time
import mlflow
from axondeepsynth.mlflow_run_status import MlflowRunStatusHooks

mlflow.set_tracking_uri(f"sqlite:///{sys.argv[1]}")
mlflow.start_run()
MlflowRunStatusHooks().before_pipeline_run({})
"""

POOLS = _START_RUN + """
from multiprocessing import Pool

def square(x):
    return x * x

if __name__ == "__main__":
    for _ in range(30):
        with Pool(2) as pool:
            assert pool.map(square, range(4)) == [0, 1, 4, 9]
    print(mlflow.get_run(mlflow.active_run().info.run_id).info.status)
"""

# On one CPU the parent mostly signals a child before the child has run at all, when the signal used
# to be lost: CPython's at-fork code clears the flag its C handler set, before our reset ran (4 of 10
# children lived on before the fix).
FORK_AND_SIGTERM = _START_RUN + """
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
statuses = []
for _ in range(10):
    pid = os.fork()
    if pid == 0:
        time.sleep(2)  # the parent's SIGTERM comes within milliseconds
        os._exit(7)  # reached only if it was lost
    os.kill(pid, signal.SIGTERM)
    statuses.append(os.waitpid(pid, 0)[1])
print("killed by SIGTERM:", sum(os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGTERM for s in statuses), "of 10")

pid = os.fork()  # not signalled: reports the disposition and mask it works with
if pid == 0:
    unblocked = signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    os._exit(0 if unblocked and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else 1)
print("child default and unblocked:", os.waitpid(pid, 0)[1] == 0)
print("parent unblocked:", not {signal.SIGINT, signal.SIGTERM} & signal.pthread_sigmask(signal.SIG_BLOCK, []))
"""


def _run(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(script)
    # A KedroSession run earlier in this pytest process leaves MLFLOW_EXPERIMENT_ID set (kedro-mlflow);
    # the script's fresh store has no such experiment.
    env = {key: value for key, value in os.environ.items() if not key.startswith("MLFLOW_")}
    done = subprocess.run([sys.executable, str(path), str(tmp_path / "mlflow.db")], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_a_sigterm_sent_before_a_forked_child_has_run_kills_it(tmp_path: Path) -> None:
    assert _run(FORK_AND_SIGTERM, tmp_path).stdout.splitlines() == [
        "killed by SIGTERM: 10 of 10", "child default and unblocked: True", "parent unblocked: True"]


def test_thirty_pools_end_and_the_run_stays_running(tmp_path: Path) -> None:
    assert _run(POOLS, tmp_path).stdout.strip().endswith("RUNNING")

"""End every ``kedro run``'s MLflow run with the status it deserves: KILLED when interrupted.

kedro-mlflow already ends the run FAILED when a node raises (its ``on_pipeline_error``), but
Kedro calls that hook for ``Exception`` only: Ctrl-C (``KeyboardInterrupt``) skips it and MLflow's
own exit handler then records the interrupted run as FINISHED, and ``SIGTERM`` (a scheduler's
time limit, ``kill``) or ``kill -9`` end the process with no handler at all, leaving the run
RUNNING for ever. :class:`MlflowRunStatusHooks` therefore

- tags the run with the process id and host (:data:`PID_TAG`, :data:`HOST_TAG`);
- on SIGINT / SIGTERM ends it KILLED, then lets the signal stop the process as it would have;
- at the start of every run, marks KILLED the runs of this experiment that are still RUNNING
  although the process that started them on this host is gone (a ``kill -9``, a power cut).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from types import FrameType
from typing import Any

import mlflow
import psutil
from kedro.framework.hooks import hook_impl
from mlflow.entities import RunStatus

logger = logging.getLogger(__name__)

PID_TAG = "axondeepsynth.pid"
HOST_TAG = "axondeepsynth.host"
_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_KILLED = RunStatus.to_string(RunStatus.KILLED)


def _process_is_gone(pid: int, run_start_ms: int) -> bool:
    """True when no process ``pid`` runs, or the one that does started after the run did
    (the id was reused by another program)."""
    try:
        return psutil.Process(pid).create_time() * 1000 > run_start_ms + 1000
    except psutil.NoSuchProcess:
        return True


def close_abandoned_runs(client: mlflow.MlflowClient, experiment_id: str) -> list[str]:
    """Mark KILLED the RUNNING runs of ``experiment_id`` whose process on this host has ended.

    Returns:
        The ids of the runs closed (runs without the project's pid tag are left alone).
    """
    host = socket.gethostname()
    closed = []
    for run in client.search_runs([experiment_id], filter_string="attributes.status = 'RUNNING'"):
        pid = run.data.tags.get(PID_TAG)
        if run.data.tags.get(HOST_TAG) != host or pid is None or not pid.isdigit():
            continue
        if _process_is_gone(int(pid), run.info.start_time):
            client.set_terminated(run.info.run_id, _KILLED)
            closed.append(run.info.run_id)
            logger.warning("MLflow run '%s' (%s) was left RUNNING by process %s, which has ended; marked KILLED.",
                           run.info.run_name, run.info.run_id, pid)
    return closed


_mask_before_fork = threading.local()


def _hold_signals_back_before_fork() -> None:
    """Block SIGINT/SIGTERM in the forking thread; the child inherits that mask.

    A signal that reaches a child before :func:`_reset_signals_in_child` ran is otherwise lost: the
    child still has our handler at the C level, CPython only sets a flag there, and its own at-fork
    code clears the flag (``_PySignal_AfterFork``). ``Pool.terminate`` SIGTERMs workers that may not
    have run yet (under load one worker does all the tasks), so a worker kept living and
    ``with Pool(...)`` hung in its join. Blocked, the signal stays pending in the kernel instead."""
    _mask_before_fork.mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _let_signals_through_in_parent() -> None:
    signal.pthread_sigmask(signal.SIG_SETMASK, _mask_before_fork.mask)


def _reset_signals_in_child() -> None:
    """In a forked child, signals our handler caught get their default action back; only then are
    they unblocked, so one sent meanwhile (``Pool.terminate``'s SIGTERM) acts by default now."""
    for signum in _SIGNALS:
        handler = signal.getsignal(signum)
        if isinstance(getattr(handler, "__self__", None), MlflowRunStatusHooks):
            signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, _mask_before_fork.mask)


_FORK_HOOK_REGISTERED = False


def _default_signals_in_forked_children() -> None:
    """Forked workers (nnU-Net's ``multiprocessing.Pool``s) must die on ``Pool.terminate``'s SIGTERM
    as by default: with the parent's handler inherited, or the signal lost, ``with Pool(...)`` hangs
    in its join."""
    global _FORK_HOOK_REGISTERED
    if not _FORK_HOOK_REGISTERED:
        os.register_at_fork(before=_hold_signals_back_before_fork, after_in_parent=_let_signals_through_in_parent,
                            after_in_child=_reset_signals_in_child)
        _FORK_HOOK_REGISTERED = True


class MlflowRunStatusHooks:
    """Kedro hooks that keep MLflow run statuses true (see the module docstring)."""

    def __init__(self) -> None:
        self._previous_handlers: dict[int, Any] = {}
        self._run_id: str | None = None
        self._owner_pid: int | None = None

    @hook_impl(trylast=True)
    def before_pipeline_run(self, run_params: dict[str, Any]) -> None:
        """After kedro-mlflow has opened the run: tag it, close abandoned ones, catch signals."""
        run = mlflow.active_run()
        if run is None:
            return
        self._run_id = run.info.run_id
        self._owner_pid = os.getpid()
        _default_signals_in_forked_children()
        if threading.current_thread() is threading.main_thread():  # Python sets handlers there only
            for signum in _SIGNALS:
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
        mlflow.set_tags({PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()})
        close_abandoned_runs(mlflow.MlflowClient(), run.info.experiment_id)

    @hook_impl
    def after_pipeline_run(self) -> None:
        self._restore_handlers()

    @hook_impl
    def on_pipeline_error(self) -> None:
        self._restore_handlers()

    def _restore_handlers(self) -> None:
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers.clear()
        self._run_id = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """End the MLflow run(s) KILLED, then hand the signal to the handler it had before.

        Python runs this wherever it next checks for signals, also inside an at-fork hook (ours, or
        logging's, while ``multiprocessing`` forks), where an exception raised here is printed and
        dropped and the process goes on. So a signal whose previous action was the default (SIGTERM
        in a ``kedro run``) is not turned into an exception: that default is put back and the signal
        sent again, and the process dies of it wherever it is (exit status 143 in a shell,
        ``returncode == -15`` for ``subprocess``); the temporaries it leaves are removed at the next
        run's start (:mod:`axondeepsynth.stale_temporaries`). A previous Python handler is called:
        for SIGINT that is Python's, whose ``KeyboardInterrupt`` lets Kedro's error path run. A
        Ctrl-C landing exactly inside a fork may have that exception dropped (the run is KILLED, the
        process goes on); the previous handlers are back first, so a second Ctrl-C interrupts.
        """
        if os.getpid() != self._owner_pid:
            # A child forked without Python's at-fork hooks (a C extension's own fork()) still holds
            # the handler: die as by default, never touch the parent's MLflow run.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        run_id, previous = self._run_id, self._previous_handlers.get(signum, signal.SIG_DFL)
        self._restore_handlers()
        while mlflow.active_run() is not None:
            mlflow.end_run(_KILLED)
        if run_id is not None:
            mlflow.MlflowClient().set_terminated(run_id, _KILLED)
            logger.warning("%s received: MLflow run '%s' ended as KILLED.", signal.Signals(signum).name, run_id)
        if callable(previous):
            previous(signum, frame)
            return
        # Meets the default action restored above. Were this thread blocking the signal (the handler
        # ran inside our before-fork hook), another thread takes it, or the after-fork unblock does.
        os.kill(os.getpid(), signum)

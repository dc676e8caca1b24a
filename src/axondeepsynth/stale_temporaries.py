"""Find and remove the temporary files and folders that killed runs left beside their outputs.

:mod:`axondeepsynth.imaging.atomic` writes every output under a hidden temporary name that carries
the writer's process id (:data:`~axondeepsynth.imaging.atomic.TEMPORARY_NAME`) and renames it when
complete; a run killed mid-write (``kill -9``, a power cut) leaves the temporary behind, invisible
and never cleaned. A leftover is removed only when all of these hold, so the work of a run going on
at the same time is never touched:

- its name is one of the project's temporary names (nothing else in the folder is looked at);
- it was last modified before the current run started;
- the process named in it is gone (or the id now belongs to a process started after the
  temporary was last written).

Temporaries written before the names carried a process id (``.<name>.<random>.tmp``) cannot be
told from a live run's and are only reported.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import psutil

from axondeepsynth.imaging.atomic import TEMPORARY_NAME

logger = logging.getLogger(__name__)

_PID_LESS_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?:[a-z0-9_]{8}\.tmp(?:\.[^.]+)?|old-[a-z0-9_]{8})$")


def _writer_is_alive(pid: int, last_written: float) -> bool:
    try:
        return psutil.Process(pid).create_time() <= last_written
    except psutil.NoSuchProcess:
        return False


def _candidates(folders: Iterable[Path]) -> list[Path]:
    entries: set[Path] = set()
    for folder in folders:
        if Path(folder).is_dir():
            entries.update(p for p in Path(folder).iterdir() if p.name.startswith("."))
    return sorted(entries)


def remove_stale_temporaries(folders: Iterable[Path], run_started: float) -> list[Path]:
    """Remove the project's leftover temporaries directly inside ``folders``.

    Args:
        folders: where outputs are written (the parents of the catalog's locations).
        run_started: the current run's start, seconds since the epoch (``time.time()``).

    Returns:
        The removed paths. Pid-less leftovers of older versions are logged, not removed.
    """
    removed = []
    for path in _candidates(folders):
        match = TEMPORARY_NAME.match(path.name)
        last_written = path.lstat().st_mtime
        if match is None:
            if _PID_LESS_TEMPORARY.match(path.name) and last_written < run_started:
                logger.warning("'%s' looks like the leftover of an interrupted write by an older version; "
                               "delete it if no other run is writing '%s'.", path, path.parent)
            continue
        if last_written >= run_started or _writer_is_alive(int(match["pid"]), last_written):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
        logger.warning("Removed '%s', left by process %s that was interrupted while writing '%s'.",
                       path, match["pid"], path.parent / match["name"])
    return removed

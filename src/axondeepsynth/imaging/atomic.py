"""Write outputs under a temporary name beside their destination and rename them when complete.

A crash or an exception mid-write then never leaves a half-written file or folder where a later
stage (or a user) would take it for a finished one. Existing data is only replaced when the
caller passes ``overwrite=True``, and a folder only when the project wrote it: every finished
folder carries the ownership manifest of :mod:`axondeepsynth.project_outputs`.

Temporary names are hidden and carry the writing process id,
``.<final name>.<pid>.<random>.tmp[<suffix>]`` (and ``.old`` for a folder being replaced), so
that :mod:`axondeepsynth.stale_temporaries` can tell the leftovers of a killed run from the
work of a live one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from axondeepsynth.project_outputs import refuse_unowned, write_ownership_manifest

logger = logging.getLogger(__name__)

TEMPORARY_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.(?:tmp|old)(?:\.[^.]+)?$")
"""Matches the temporary names of :func:`atomic_directory` / :func:`atomic_file`; ``pid`` is the writer."""


def _temporary_prefix(final_path: Path) -> str:
    return f".{final_path.name}.{os.getpid()}."


def _is_occupied(path: Path) -> bool:
    """True when ``path`` holds something worth protecting: a file, or a non-empty folder."""
    if path.is_dir():
        return any(path.iterdir())
    return path.exists()


def _refuse_existing(final_path: Path, overwrite: bool) -> None:
    if not overwrite and _is_occupied(final_path):
        raise FileExistsError(
            f"Output '{final_path}' already exists and is not empty; remove it, choose another "
            "output path, or set overwrite: true to replace it."
        )


def _refuse_existing_folder(final_path: Path, overwrite: bool) -> None:
    _refuse_existing(final_path, overwrite)
    refuse_unowned(final_path)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _give_default_permissions(path: Path, directory: bool) -> None:
    """``mkstemp``/``mkdtemp`` create private (0600/0700) entries; the finished output gets the
    permissions an ordinary ``open``/``mkdir`` would have given it under the current umask."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_current_umask())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def _replace_directory(temp_dir: Path, final_path: Path) -> None:
    """Rename ``temp_dir`` to ``final_path``; an existing ``final_path`` is moved aside first and
    deleted only once the new folder is in place, so a failed rename leaves the old one intact."""
    if not final_path.exists():
        os.rename(temp_dir, final_path)
        return
    aside = Path(tempfile.mkdtemp(prefix=_temporary_prefix(final_path), suffix=".old", dir=final_path.parent))
    aside.rmdir()
    os.rename(final_path, aside)
    try:
        os.rename(temp_dir, final_path)
    except OSError:
        os.rename(aside, final_path)
        raise
    _remove(aside)
    logger.info("Replaced existing '%s'.", final_path)


@contextmanager
def atomic_directory(final_path: Path | str, overwrite: bool = False) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``final_path``; rename it to ``final_path`` on success.

    Args:
        final_path: where the finished folder must appear.
        overwrite: replace an existing non-empty ``final_path`` that the project wrote; without
            it such a path raises :class:`FileExistsError` before anything is written, and a
            folder without the ownership manifest raises
            :class:`~axondeepsynth.errors.UnownedOutputError` even with it. An empty folder is
            always replaced.

    On an exception inside the ``with`` block the temporary folder is removed and the exception
    propagates; ``final_path`` is left exactly as it was. On success the folder holds the
    ownership manifest beside what the block wrote.
    """
    final_path = Path(final_path)
    _refuse_existing_folder(final_path, overwrite)
    final_path.parent.mkdir(parents=True, exist_ok=True)
    temp_dir = Path(tempfile.mkdtemp(prefix=_temporary_prefix(final_path), suffix=".tmp", dir=final_path.parent))
    try:
        yield temp_dir
        write_ownership_manifest(temp_dir)
        _refuse_existing_folder(final_path, overwrite)
        _give_default_permissions(temp_dir, directory=True)
        _replace_directory(temp_dir, final_path)
    except BaseException:
        _remove(temp_dir)
        raise


@contextmanager
def atomic_file(final_path: Path | str, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary file path beside ``final_path`` (same suffix); rename it on success.

    The yielded file exists and is empty, so writers that open it in write mode (h5py ``"w"``,
    PIL ``save``, ``torch.save``) simply truncate it. An existing ``final_path`` raises
    :class:`FileExistsError` unless ``overwrite`` is true; on an exception the temporary file is
    removed and ``final_path`` is untouched.
    """
    final_path = Path(final_path)
    _refuse_existing(final_path, overwrite)
    final_path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=_temporary_prefix(final_path), suffix=f".tmp{final_path.suffix}", dir=final_path.parent
    )
    os.close(handle)
    temp_file = Path(name)
    try:
        yield temp_file
        _refuse_existing(final_path, overwrite)
        _give_default_permissions(temp_file, directory=False)
        os.replace(temp_file, final_path)
    except BaseException:
        _remove(temp_file)
        raise

"""Fingerprints of input files and project-owned copies, for the reliability cases."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from axondeepsynth.imaging.atomic import atomic_directory


def checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root`` (a file: just that one), keyed by relative path."""
    root = Path(root)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def copy_as_project_output(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` through :func:`atomic_directory`, so it carries the
    ownership manifest: the worst case, where only the overlap rule stands between ``overwrite``
    and the data."""
    with atomic_directory(destination) as temp:
        shutil.copytree(source, temp, dirs_exist_ok=True)
    return destination

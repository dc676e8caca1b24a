"""Fingerprints of input files and project-owned copies, for the reliability cases."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
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


_WRITER = """
import sys, time
from axondeepsynth.imaging.atomic import atomic_directory
with atomic_directory(sys.argv[1]) as temp:
    (temp / "half.png").write_bytes(b"half an image")
    print(temp, flush=True)
    time.sleep(600)
"""


def killed_writer_leftover(final: Path) -> Path:
    """Start a real writer, wait until its temporary folder exists, ``kill -9`` it."""
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(final)], stdout=subprocess.PIPE, text=True)
    temp = Path(writer.stdout.readline().strip())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    return temp

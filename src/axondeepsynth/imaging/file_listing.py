"""List the image files below a folder, and refuse label maps named as such among them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from axondeepsynth.imaging.image_io import IMAGE_SUFFIXES
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError, is_label_path


def iter_image_files(root: Path, exclude_dirs: Iterable[str]) -> Iterator[Path]:
    """Yield image files below ``root`` folder by folder (names sorted), skipping folders named in ``exclude_dirs``
    (at any depth) and hidden files."""
    excluded = set(exclude_dirs)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in excluded)
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in IMAGE_SUFFIXES:
                yield Path(folder) / name


def refuse_label_files(paths: Iterable[Path], root: Path) -> None:
    """Raise :class:`LabelMapAmongImagesError` for the first path whose name marks it as labels."""
    for path in paths:
        if is_label_path(path.relative_to(root)):
            raise LabelMapAmongImagesError(path, "its name or folder marks it as a segmentation")

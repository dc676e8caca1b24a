"""nnU-Net v2 raw datasets: ``imagesTr``/``imagesTs`` hold ``<case>_<channel>.<ext>`` images and
``labelsTr`` holds ``<case>.<ext>`` class maps (0 background, 1 myelin, 2 axon).

Microscopy here is single-channel, so only channel ``0000`` is an image; other channels are
skipped with a warning. nnU-Net names no subjects, so splits fall back to one group per case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from axondeepsynth.imaging.file_listing import iter_image_files
from axondeepsynth.imaging.image_record import ImageRecord

logger = logging.getLogger(__name__)

IMAGE_FOLDERS = ("imagesTr", "imagesTs")
_LABEL_FOLDERS = {"imagesTr": "labelsTr", "imagesTs": "labelsTs"}
_CHANNEL = "_0000"


def is_nnunet_raw_root(root: Path) -> bool:
    """True when ``root`` holds an ``imagesTr`` or ``imagesTs`` folder."""
    return any((root / folder).is_dir() for folder in IMAGE_FOLDERS)


def _find_label(label_folder: Path, case_id: str) -> Path | None:
    matches = sorted(label_folder.glob(f"{case_id}.*")) if label_folder.is_dir() else []
    return matches[0] if matches else None


def discover_nnunet_raw(root: Path, exclude_dirs: Iterable[str], modality: str) -> list[ImageRecord]:
    """Channel-0 images of ``imagesTr`` then ``imagesTs``, each with its label map when present."""
    records = []
    for folder in IMAGE_FOLDERS:
        if folder in exclude_dirs or not (root / folder).is_dir():
            continue
        label_folder = root / _LABEL_FOLDERS[folder]
        for path in iter_image_files(root / folder, exclude_dirs):
            stem = path.name.split(".", 1)[0]
            if not stem.endswith(_CHANNEL):
                logger.warning("Skipping %s: only channel %s is used for microscopy.", path, _CHANNEL[1:])
                continue
            case_id = stem[: -len(_CHANNEL)]
            records.append(
                ImageRecord(
                    path=path,
                    modality=modality,
                    subject=None,
                    sample=case_id,
                    label_path=_find_label(label_folder, case_id),
                )
            )
    return records

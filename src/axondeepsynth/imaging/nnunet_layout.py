"""nnU-Net v2 raw datasets: ``imagesTr``/``imagesTs`` hold ``<case>_<channel>.<ext>`` images and
``labelsTr`` holds ``<case>.<ext>`` class maps (0 background, 1 myelin, 2 axon).

Microscopy here is single-channel, so only channel ``0000`` is an image; other channels are
skipped with a warning. nnU-Net itself records neither subjects nor pixel sizes; datasets exported
by :mod:`axondeepsynth.nnunet.raw_dataset` keep them per case in ``dataset.json`` under
``axondeepsynth.cases.<case>.{subject, pixel_size_um}``, which are used when present. Without
them each case is its own split group and its pixel size is unknown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from axondeepsynth.imaging.file_listing import iter_image_files
from axondeepsynth.imaging.image_record import ImageRecord

logger = logging.getLogger(__name__)

IMAGE_FOLDERS = ("imagesTr", "imagesTs")
_LABEL_FOLDERS = {"imagesTr": "labelsTr", "imagesTs": "labelsTs"}
_CHANNEL = "_0000"
_METADATA_KEY = "axondeepsynth"


def case_name(stem: str) -> str:
    """Case name of an nnU-Net file stem: ``X_0000`` (an image's channel 0) and ``X`` (its label)
    are the same case ``X``."""
    return stem[: -len(_CHANNEL)] if stem.endswith(_CHANNEL) else stem


def is_nnunet_raw_root(root: Path) -> bool:
    """True when ``root`` holds an ``imagesTr`` or ``imagesTs`` folder."""
    return any((root / folder).is_dir() for folder in IMAGE_FOLDERS)


def _case_metadata(root: Path) -> dict[str, dict[str, Any]]:
    """Per-case ``subject`` / ``pixel_size_um`` recorded by our exporter, ``{}`` when absent."""
    description = root / "dataset.json"
    if not description.is_file():
        return {}
    try:
        content = json.loads(description.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"Cannot read '{description}': {error}; fix the file or re-export the dataset.") from error
    cases = content.get(_METADATA_KEY, {}).get("cases", {}) if isinstance(content, dict) else {}
    return cases if isinstance(cases, dict) else {}


def _find_label(label_folder: Path, case_id: str) -> Path | None:
    matches = sorted(label_folder.glob(f"{case_id}.*")) if label_folder.is_dir() else []
    return matches[0] if matches else None


def discover_nnunet_raw(root: Path, exclude_dirs: Iterable[str], modality: str) -> list[ImageRecord]:
    """Channel-0 images of ``imagesTr`` then ``imagesTs``, each with its label map when present."""
    metadata = _case_metadata(root)
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
            known = metadata.get(case_id, {})
            pixel_size = known.get("pixel_size_um")
            records.append(
                ImageRecord(
                    path=path,
                    modality=modality,
                    subject=known.get("subject") or None,
                    sample=case_id,
                    pixel_size_um=float(pixel_size) if pixel_size else None,
                    label_path=_find_label(label_folder, case_id),
                )
            )
    return records

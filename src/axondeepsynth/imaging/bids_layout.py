"""BIDS microscopy folders: entities from file names, inherited JSON sidecars, derivative labels.

A sidecar applies to an image when it sits in the image's folder or one above it (up to the
dataset root), has the same suffix (``SEM``, ``TEM``...) and its entities are a subset of the
image's; the more specific sidecar wins (e.g. ``sub-rat3/micr/sub-rat3_SEM.json`` gives the pixel
size of all of rat 3's samples unless a sample-level sidecar overrides it).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from axondeepsynth.imaging.file_listing import iter_image_files, refuse_label_files
from axondeepsynth.imaging.image_record import ImageRecord

logger = logging.getLogger(__name__)

_UNITS_TO_UM = {"um": 1.0, "µm": 1.0, "μm": 1.0, "micrometer": 1.0, "nm": 1e-3, "mm": 1e3}
_PREFERRED_LABEL = "_seg-axonmyelin-manual"
_ANY_COMBINED_LABEL = "_seg-axonmyelin"


class SidecarError(ValueError):
    """A BIDS JSON sidecar is unreadable or states a pixel size that cannot be used."""


def is_bids_root(root: Path) -> bool:
    """True when ``root`` looks like a BIDS dataset (description file or ``sub-*`` folders)."""
    return (root / "dataset_description.json").is_file() or any(
        child.is_dir() and child.name.startswith("sub-") for child in root.iterdir()
    )


def parse_entities(name: str) -> tuple[dict[str, str], str]:
    """Split a BIDS file name into its ``key-value`` entities and its suffix (``SEM``, ``TEM``...)."""
    stem = name.split(".", 1)[0]
    parts = stem.split("_")
    entities = dict(part.split("-", 1) for part in parts[:-1] if "-" in part)
    return entities, parts[-1]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SidecarError(f"Cannot read BIDS sidecar '{path}': {error}; fix or remove the file.") from error


def inherited_sidecar(image: Path, root: Path) -> dict[str, Any]:
    """Merge every sidecar that applies to ``image``, from the dataset root down to its folder."""
    entities, suffix = parse_entities(image.name)
    folders = [root, *(root / p for p in _partial_paths(image.parent.relative_to(root)))]
    merged: dict[str, Any] = {}
    for folder in folders:
        applicable = []
        for candidate in folder.glob("*.json"):
            their_entities, their_suffix = parse_entities(candidate.name)
            if their_suffix == suffix and their_entities.items() <= entities.items():
                applicable.append((len(their_entities), candidate))
        for _, sidecar in sorted(applicable):
            merged.update(_read_json(sidecar))
    return merged


def _partial_paths(relative: Path) -> list[Path]:
    parts = relative.parts
    return [Path(*parts[: i + 1]) for i in range(len(parts))]


def pixel_size_yx_um(sidecar: dict[str, Any], image: Path) -> tuple[float, float] | None:
    """(row height, column width) of a pixel in micrometres from ``PixelSize`` and ``PixelSizeUnits``
    (default ``um``); ``None`` when the sidecar states no size.

    BIDS microscopy orders ``PixelSize`` as [X (width), Y (height)]; a single number is a square pixel.
    """
    size = sidecar.get("PixelSize")
    if size is None:
        return None
    values = [float(v) for v in (size if isinstance(size, list) else [size])][:2]
    units = str(sidecar.get("PixelSizeUnits", "um"))
    if units not in _UNITS_TO_UM or not values or any(not math.isfinite(v) or v <= 0 for v in values):
        raise SidecarError(
            f"Pixel size {size} {units} of '{image}' cannot be used; sidecars need positive PixelSize "
            f"values in one of {sorted(_UNITS_TO_UM)}."
        )
    width = values[0] * _UNITS_TO_UM[units]
    height = values[-1] * _UNITS_TO_UM[units]
    return height, width


def pixel_size_um(sidecar: dict[str, Any], image: Path) -> float | None:
    """One pixel side in micrometres (the mean of width and height), ``None`` when unknown."""
    sides = pixel_size_yx_um(sidecar, image)
    return None if sides is None else (sides[0] + sides[1]) / 2


def _label_index(root: Path) -> dict[str, list[Path]]:
    """Combined axon/myelin masks under ``derivatives``, by the stem of the image they label."""
    index: dict[str, list[Path]] = {}
    derivatives = root / "derivatives"
    if not derivatives.is_dir():
        return index
    for path in iter_image_files(derivatives, (".git",)):
        if _ANY_COMBINED_LABEL in path.name:
            index.setdefault(path.name.split(_ANY_COMBINED_LABEL, 1)[0], []).append(path)
    return index


def _pick_label(candidates: list[Path]) -> Path | None:
    preferred = [p for p in candidates if _PREFERRED_LABEL in p.name]
    chosen = preferred or candidates
    return chosen[0] if chosen else None


def discover_bids(root: Path, exclude_dirs: Iterable[str], modality: str) -> list[ImageRecord]:
    """Images of a BIDS microscopy dataset, with subject, sample, pixel size and label path."""
    paths = [p for p in iter_image_files(root, exclude_dirs) if p.name.startswith("sub-")]
    refuse_label_files(paths, root)
    labels = _label_index(root)
    records = []
    for path in paths:
        entities, _ = parse_entities(path.name)
        stem = path.name.split(".", 1)[0]
        sidecar = inherited_sidecar(path, root)
        records.append(
            ImageRecord(
                path=path,
                modality=modality,
                subject=f"sub-{entities['sub']}",
                sample=stem,
                pixel_size_um=pixel_size_um(sidecar, path),
                label_path=_pick_label(labels.get(stem, [])),
                pixel_size_yx_um=pixel_size_yx_um(sidecar, path),
            )
        )
    return records

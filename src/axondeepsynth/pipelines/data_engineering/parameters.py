"""Check and parse the ``data_engineering`` parameters into small typed records.

Every error names the parameter (``data_engineering.modalities[1].sources[0].path``...) and says
what would fix it, before any file is read or written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "data_engineering"
SPLITS = ("train", "val", "test")
MIN_TILE_SIZE = 64
TILE_MULTIPLE = 32
_RATIO_TOLERANCE = 1e-6


class ParameterError(ValueError):
    """A ``data_engineering`` parameter is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class SourceSpec:
    """One input dataset folder and its scale (a factor, or ``"auto"`` from the pixel size)."""

    path: Path
    scale: float | str
    parameter: str


@dataclass(frozen=True)
class ModalitySpec:
    """A modality's user-chosen name and its input folders."""

    name: str
    sources: tuple[SourceSpec, ...]


@dataclass(frozen=True)
class TranslateSpec:
    """The dataset to cut into tiles for translation (sizes in pixels of the scaled image)."""

    source: SourceSpec
    tile_size: int
    overlap: int
    modality: str
    name: str
    target_pixel_size_um: float | None


def _existing_folder(value: Any, parameter: str) -> Path:
    if not isinstance(value, (str, Path)) or not str(value):
        raise ParameterError(f"{parameter} must be a folder path, got {value!r}.")
    path = Path(value)
    if not path.is_dir():
        raise ParameterError(f"{parameter}: folder '{path}' does not exist; fix the path or create the dataset.")
    return path


def _scale(value: Any, parameter: str) -> float | str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ParameterError(f"{parameter} must be a positive number or 'auto', got {value!r}.")
    return float(value)


def _source_list(modality: Mapping[str, Any], parameter: str) -> tuple[SourceSpec, ...]:
    """Either ``sources: [{path, scale}]`` or the seed tool's parallel ``paths`` + ``scales`` lists."""
    if "sources" in modality:
        entries = modality["sources"]
        if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
            raise ParameterError(f"{parameter}.sources must be a non-empty list of {{path, scale}}.")
        if not all(isinstance(entry, Mapping) for entry in entries):
            raise ParameterError(f"{parameter}.sources must hold mappings {{path, scale}}, got {entries!r}.")
        named = [
            (e.get("path"), f"{parameter}.sources[{i}].path", e.get("scale", 1.0), f"{parameter}.sources[{i}].scale")
            for i, e in enumerate(entries)
        ]
    elif "paths" in modality:
        paths = list(modality["paths"])
        scales = list(modality.get("scales", [1.0] * len(paths)))
        if len(scales) != len(paths):
            raise ParameterError(
                f"{parameter} has {len(paths)} paths but {len(scales)} scales; give one scale per path."
            )
        named = [(p, f"{parameter}.paths[{i}]", s, f"{parameter}.scales[{i}]")
                 for i, (p, s) in enumerate(zip(paths, scales))]
    else:
        raise ParameterError(f"{parameter} needs 'sources: [{{path, scale}}]' (or 'paths' with 'scales').")
    return tuple(
        SourceSpec(path=_existing_folder(path, path_param), scale=_scale(scale, scale_param), parameter=path_param)
        for path, path_param, scale, scale_param in named
    )


def parse_modalities(raw: Any) -> tuple[ModalitySpec, ModalitySpec]:
    """The two modalities, contrast1 first; their names must differ."""
    parameter = f"{PREFIX}.modalities"
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 2:
        raise ParameterError(f"{parameter} must list exactly two modalities ({{name, sources}}), got {raw!r}.")
    specs = []
    for index, modality in enumerate(raw):
        where = f"{parameter}[{index}]"
        name = modality.get("name") if isinstance(modality, Mapping) else None
        if not isinstance(name, str) or not name.strip() or "/" in name:
            raise ParameterError(f"{where}.name must be a non-empty name without '/', got {name!r}.")
        specs.append(ModalitySpec(name=name, sources=_source_list(modality, where)))
    if specs[0].name == specs[1].name:
        raise ParameterError(f"{parameter}: both modalities are named '{specs[0].name}'; give them distinct names.")
    return specs[0], specs[1]


def parse_split_ratios(raw: Any) -> dict[str, float]:
    """``{train, val, test}`` fractions: non-negative, summing to 1 (within 1e-6)."""
    parameter = f"{PREFIX}.split_ratios"
    if not isinstance(raw, Mapping) or set(raw) != set(SPLITS):
        raise ParameterError(f"{parameter} must give exactly train, val and test, got {raw!r}.")
    ratios = {}
    for split in SPLITS:
        value = raw[split]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ParameterError(f"{parameter}.{split} must be a number >= 0, got {value!r}.")
        ratios[split] = float(value)
    if abs(sum(ratios.values()) - 1.0) > _RATIO_TOLERANCE or ratios["train"] == 0:
        raise ParameterError(
            f"{parameter} {ratios} must sum to 1 with a non-zero train share (they sum to {sum(ratios.values())})."
        )
    return ratios


def optional_pixel_size(raw: Any, parameter: str) -> float | None:
    """A positive pixel size in micrometres, or ``None``."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw <= 0:
        raise ParameterError(f"{parameter} must be a positive pixel size in micrometres or null, got {raw!r}.")
    return float(raw)


def _positive_int(value: Any, parameter: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{parameter} must be an integer number of pixels, got {value!r}.")
    return value


def parse_to_translate(raw: Any, default_target_um: float | None) -> TranslateSpec:
    """The ``to_translate`` block; the tile size must be a multiple of 32 and at least 64 (the
    generator halves it five times), the overlap in [0, tile_size) (default tile_size // 4)."""
    parameter = f"{PREFIX}.to_translate"
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{parameter} must be a mapping with source, scale, tile_size, modality, name.")
    tile_size = _positive_int(raw.get("tile_size", 512), f"{parameter}.tile_size")
    if tile_size < MIN_TILE_SIZE or tile_size % TILE_MULTIPLE:
        raise ParameterError(
            f"{parameter}.tile_size={tile_size} must be a multiple of {TILE_MULTIPLE} and at least "
            f"{MIN_TILE_SIZE} px (e.g. 256 or 512)."
        )
    overlap_raw = raw.get("overlap")
    overlap = tile_size // 4 if overlap_raw is None else _positive_int(overlap_raw, f"{parameter}.overlap")
    if not 0 <= overlap < tile_size:
        raise ParameterError(f"{parameter}.overlap={overlap} must be in [0, tile_size={tile_size}).")
    texts = {}
    for key in ("modality", "name"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip() or "/" in value:
            raise ParameterError(f"{parameter}.{key} must be a non-empty name without '/', got {value!r}.")
        texts[key] = value
    source = SourceSpec(
        path=_existing_folder(raw.get("source"), f"{parameter}.source"),
        scale=_scale(raw.get("scale", 1.0), f"{parameter}.scale"),
        parameter=f"{parameter}.source",
    )
    target = optional_pixel_size(
        raw.get("target_pixel_size_um", default_target_um), f"{parameter}.target_pixel_size_um"
    )
    return TranslateSpec(source, tile_size, overlap, texts["modality"], texts["name"], target)

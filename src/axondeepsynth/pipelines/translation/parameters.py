"""Check and parse the ``translation`` parameters into one typed record.

Every error names the parameter (``translation.batch_size``...) and says what would fix it,
before the checkpoint is loaded or anything is read or written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "translation"
MODES = ("tutorship", "adaptation")
_HDF5_SUFFIXES = (".hdf5", ".h5")


class TranslationParameterError(ValueError):
    """A ``translation`` parameter is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class TranslationParameters:
    """The parsed ``translation`` parameters (sizes in pixels of the scaled image).

    ``which_epoch`` is an epoch number or ``"latest"``; ``scale_factor`` a number or ``"auto"``
    (sidecar pixel size / ``target_pixel_size_um``); ``tile_size`` None means the model's training
    size and ``overlap`` None a quarter of the tile; ``devices`` the torch devices tiles are split across (``auto`` resolved later).
    """

    experiment: str
    which_epoch: int | str
    source_contrast: str
    mode: str
    source: Path
    is_nnunet_dir: bool
    exclude_dirs: tuple[str, ...]
    tile_size: int | None
    overlap: int | None
    scale_factor: float | str
    target_pixel_size_um: float | None
    batch_size: int
    devices: tuple[str, ...]
    cpu_threads: int | None
    seed: int
    overwrite: bool
    nnunet_dir: Path
    dataset_id: int
    output_dir: Path | None
    paired_dir: Path | None
    figure_images: int

    @property
    def source_is_tile_set(self) -> bool:
        """True when ``source`` is the HDF5 tile set of the data_engineering pipeline."""
        return self.source.suffix.lower() in _HDF5_SUFFIXES


def _fail(name: str, message: str) -> TranslationParameterError:
    return TranslationParameterError(f"{PREFIX}.{name} {message}")


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(name, f"must be a non-empty string, got {value!r}.")
    return value.strip()


def _integer(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(name, f"must be an integer >= {minimum}, got {value!r}.")
    return value


def _optional_path(value: Any, name: str) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, (str, Path)):
        raise _fail(name, f"must be a path or null, got {value!r}.")
    return Path(value)


def _epoch(value: Any) -> int | str:
    if isinstance(value, str) and value.strip().lower() == "latest":
        return "latest"
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return _integer(value, "which_epoch", 0)


def _scale(value: Any) -> float | str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _fail("scale_factor", f"must be a positive number or 'auto', got {value!r}.")
    return float(value)


def _devices(params: Mapping[str, Any]) -> tuple[str, ...]:
    listed = params.get("devices") or []
    if isinstance(listed, str) or not isinstance(listed, Sequence):
        raise _fail("devices", f"must be a list of torch devices such as [cuda:0, cuda:1], got {listed!r}.")
    if listed:
        return tuple(str(device) for device in listed)
    return (str(params.get("device", "auto")),)


def _source(params: Mapping[str, Any]) -> Path:
    path = _optional_path(params.get("source"), "source")
    if path is None or not path.exists():
        raise _fail(
            "source",
            f"'{path}' does not exist; point it at the tile set of `kedro run --pipeline data_engineering` "
            "(<name>_<modality>.hdf5) or at a BIDS / nnU-Net raw / image folder.",
        )
    return path


def check_overlap(overlap: int | None, tile_size: int) -> int:
    """The overlap in pixels for ``tile_size`` (None: a quarter of the tile), checked."""
    resolved = tile_size // 4 if overlap is None else overlap
    if resolved >= tile_size:
        raise _fail("overlap", f"({resolved} px) must be smaller than the tile size ({tile_size} px); lower it or set null.")
    return resolved


def parse_translation_parameters(params: Mapping[str, Any]) -> TranslationParameters:
    """Parse and check ``params`` (the ``translation`` section).

    Raises:
        TranslationParameterError: the first invalid parameter, named, with the fix.
    """
    mode = _text(params, "mode").lower()
    if mode not in MODES:
        raise _fail("mode", f"must be one of {MODES}, got {mode!r}.")
    tile_size = params.get("tile_size")
    overlap = params.get("overlap")
    overlap = _integer(overlap, "overlap", 0) if overlap is not None else None
    if tile_size is not None:
        tile_size = _integer(tile_size, "tile_size", 1)
        check_overlap(overlap, tile_size)
    tutorship = params.get("tutorship") or {}
    adaptation = params.get("adaptation") or {}
    evaluation = params.get("evaluation") or {}
    target_um = params.get("target_pixel_size_um")
    parsed = TranslationParameters(
        experiment=_text(params, "experiment"),
        which_epoch=_epoch(params.get("which_epoch", "latest")),
        source_contrast=_text(params, "source_contrast"),
        mode=mode,
        source=_source(params),
        is_nnunet_dir=bool(params.get("is_nnunet_dir", False)),
        exclude_dirs=tuple(params.get("exclude_dirs") or ("derivatives", ".git")),
        tile_size=tile_size,
        overlap=overlap,
        scale_factor=_scale(params.get("scale_factor", 1.0)),
        target_pixel_size_um=float(target_um) if target_um is not None else None,
        batch_size=_integer(params.get("batch_size", 8), "batch_size", 1),
        devices=_devices(params),
        cpu_threads=_integer(params["cpu_threads"], "cpu_threads", 1) if params.get("cpu_threads") is not None else None,
        seed=_integer(params.get("seed", 0), "seed", 0),
        overwrite=bool(params.get("overwrite", False)),
        nnunet_dir=_optional_path(tutorship.get("nnunet_dir"), "tutorship.nnunet_dir") or Path("data/06_models/nnunet"),
        dataset_id=_integer(tutorship.get("dataset_id", 201), "tutorship.dataset_id", 1),
        output_dir=_optional_path(adaptation.get("output_dir"), "adaptation.output_dir"),
        paired_dir=_optional_path(evaluation.get("paired_dir"), "evaluation.paired_dir"),
        figure_images=_integer(evaluation.get("figure_images", 3), "evaluation.figure_images", 1),
    )
    if parsed.dataset_id > 999:
        raise _fail("tutorship.dataset_id", f"must be between 1 and 999 (nnU-Net ids), got {parsed.dataset_id}.")
    if parsed.is_nnunet_dir and not (parsed.source / "imagesTr").is_dir():
        raise _fail("source", f"'{parsed.source}' has no imagesTr folder but translation.is_nnunet_dir is true.")
    return parsed

"""Write a labelled microscopy dataset in nnU-Net v2's raw layout, and read its ``dataset.json``.

Layout written (2-D, single channel, PNG):
``imagesTr/<case>_0000.png`` (uint8 intensities), ``labelsTr/<case>.png`` (0 background,
1 myelin, 2 axon), the same for ``imagesTs``/``labelsTs`` (test cases; unlabelled test images
have no label file), and ``dataset.json``. Besides nnU-Net's keys, ``dataset.json`` holds an
``axondeepsynth`` entry: the modality, a digest of the sources (to tell a re-export of the same
data from a different dataset under the same id), ``pixel_size_um`` (the pixel side in
micrometres every training case shares, ``null`` when unknown or when cases differ: then only the
per-case sizes tell) and, per case, its source files, subject, split and pixel size in micrometres
(``null`` when unknown). A model trained on the dataset is at ``pixel_size_um`` (nnU-Net copies
``dataset.json`` into the model's results folder, see :func:`dataset_pixel_size_um`).

The dataset folder is built under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_io import (
    DEFAULT_READ_OPTIONS,
    ReadOptions,
    read_grayscale,
    read_label_map,
    write_png_atomic,
)
from axondeepsynth.imaging.label_values import CLASS_VALUES
from axondeepsynth.imaging.rescaling import ScaleFactor, axis_factors, rescale_image, rescale_labels
from axondeepsynth.imaging.scaled_image_source import scaled_pixel_size_um
from axondeepsynth.project_outputs import Location, refuse_unsafe_writes

logger = logging.getLogger(__name__)

CHANNEL_SUFFIX = "_0000"
FILE_ENDING = ".png"
METADATA_KEY = "axondeepsynth"
PIXEL_SIZE_TOLERANCE = 0.01
"""Pixel sizes within this relative difference count as the same (sidecars round differently)."""


class DatasetConflictError(FileExistsError):
    """An nnU-Net dataset id is already taken by a dataset with other content."""


class DatasetJsonError(ValueError):
    """A ``dataset.json`` is missing, not valid JSON, or lacks keys nnU-Net needs."""


@dataclass(frozen=True)
class RawCase:
    """One image to export and how.

    Attributes:
        case_id: nnU-Net case identifier (file names ``<case_id>_0000.png`` / ``<case_id>.png``).
        image_path: source image (any format :func:`read_grayscale` reads).
        label_path: source label map (0/1/2 or AxonDeepSeg 0/127|128/255), ``None`` if unlabelled.
        test: True for ``imagesTs``/``labelsTs``, False for ``imagesTr``/``labelsTr``.
        subject: the subject the image comes from (recorded for traceability).
        pixel_size_um: source pixel side in micrometres, or (row height, column width) for
            anisotropic pixels; ``None`` when unknown.
        scale_factor: size multiplier applied on export (1.0 keeps the source size), or one per
            axis (rows, columns).
        read_options: intensity mapping of wide images and ``allow_large_images``.
    """

    case_id: str
    image_path: Path
    label_path: Path | None
    test: bool
    subject: str
    pixel_size_um: float | tuple[float, float] | None = None
    scale_factor: ScaleFactor = 1.0
    read_options: ReadOptions = DEFAULT_READ_OPTIONS

    @property
    def exported_pixel_size_um(self) -> float | None:
        """Pixel side of the exported image in micrometres (the mean of both axes)."""
        return None if self.pixel_size_um is None else scaled_pixel_size_um(self.pixel_size_um, self.scale_factor)


def sources_digest(cases: Sequence[RawCase]) -> str:
    """SHA-256 over case ids, splits, scale factors and the bytes of every source file."""
    digest = hashlib.sha256()
    for case in sorted(cases, key=lambda c: c.case_id):
        factors = list(dict.fromkeys(f"{f:.6g}" for f in axis_factors(case.scale_factor)))  # "0.5" or "2,1"
        digest.update(f"{case.case_id}|{case.test}|{','.join(factors)}|".encode())
        for path in (case.image_path, case.label_path):
            digest.update(b"-" if path is None else Path(path).read_bytes())
    return digest.hexdigest()


def build_dataset_json(name: str, num_training: int, metadata: dict[str, Any]) -> dict[str, Any]:
    """nnU-Net's ``dataset.json`` for single-channel 2-D PNG microscopy with our labels.

    The channel is named ``rescale_to_0_1`` because nnU-Net picks its intensity normalisation
    from the channel name; that one maps uint8 intensities linearly to [0, 1].
    """
    return {
        "name": name,
        "channel_names": {"0": "rescale_to_0_1"},
        "labels": dict(CLASS_VALUES),
        "numTraining": int(num_training),
        "file_ending": FILE_ENDING,
        METADATA_KEY: metadata,
    }


def read_dataset_json(dataset_dir: Path | str) -> dict[str, Any]:
    """Read ``dataset_dir/dataset.json`` and check the keys nnU-Net requires.

    Raises:
        DatasetJsonError: the file is missing, not JSON, or lacks ``labels``, ``channel_names``,
            ``numTraining`` or ``file_ending``.
    """
    path = Path(dataset_dir) / "dataset.json"
    if not path.is_file():
        raise DatasetJsonError(
            f"'{path}' is missing; an nnU-Net raw dataset needs a dataset.json (export the dataset "
            "with the data_engineering pipeline or write one, see nnU-Net's dataset_format.md)."
        )
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetJsonError(f"'{path}' is not valid JSON ({error}); fix or re-export it.") from error
    if not isinstance(content, dict):
        raise DatasetJsonError(f"'{path}' must hold a JSON object, got {type(content).__name__}.")
    missing = [key for key in ("labels", "channel_names", "numTraining", "file_ending") if key not in content]
    if missing:
        raise DatasetJsonError(f"'{path}' lacks the key(s) {missing} that nnU-Net requires; add them or re-export.")
    return content


def case_pixel_sizes_um(dataset_json: dict[str, Any]) -> dict[str, float]:
    """Pixel side in micrometres of each case whose size our exporter recorded."""
    cases = dataset_json.get(METADATA_KEY, {}).get("cases", {})
    return {case: float(info["pixel_size_um"]) for case, info in cases.items() if info.get("pixel_size_um")}


def common_pixel_size_um(sizes: Iterable[float | None]) -> float | None:
    """The pixel side (micrometres) all ``sizes`` share within :data:`PIXEL_SIZE_TOLERANCE`;
    ``None`` when there is none, any is unknown, or they differ (a dataset of mixed scales)."""
    values = list(sizes)
    if not values or any(v is None for v in values):
        return None
    low, high = min(values), max(values)
    return float(values[0]) if high <= low * (1.0 + PIXEL_SIZE_TOLERANCE) else None


def dataset_pixel_size_um(dataset_json: dict[str, Any]) -> float | None:
    """The pixel side (micrometres) a dataset's training images are at, ``None`` when unknown or mixed.

    Reads the recorded ``axondeepsynth.pixel_size_um``; datasets written before it was recorded
    fall back to their per-case training sizes. A model's results folder holds nnU-Net's copy of
    its ``dataset.json``, so the same call gives the pixel size a model was trained at.
    """
    metadata = dataset_json.get(METADATA_KEY, {})
    if metadata.get("pixel_size_um"):
        return float(metadata["pixel_size_um"])
    cases = metadata.get("cases", {})
    return common_pixel_size_um(info.get("pixel_size_um") for info in cases.values()
                                if info.get("split", "train") == "train") if cases else None


def dataset_modality(dataset_json: dict[str, Any]) -> str | None:
    """The modality our exporters recorded (``axondeepsynth.modality``, lower case), ``None`` if none."""
    modality = dataset_json.get(METADATA_KEY, {}).get("modality")
    return str(modality).lower() if modality else None


def _existing_digest(dataset_dir: Path) -> str | None:
    try:
        return read_dataset_json(dataset_dir).get(METADATA_KEY, {}).get("content_digest")
    except DatasetJsonError:
        return None


def datasets_using_id(raw_dir: Path, dataset_id: int) -> list[Path]:
    """Every ``Dataset<ID>_*`` folder in ``raw_dir`` (nnU-Net resolves ids by this prefix)."""
    if not raw_dir.is_dir():
        return []
    return sorted(p for p in raw_dir.glob(f"Dataset{int(dataset_id):03d}_*") if p.is_dir())


def check_dataset_id_free(dataset_dir: Path, dataset_id: int, digest: str, overwrite: bool) -> bool:
    """Decide whether ``dataset_dir`` must be (re)written.

    Returns:
        False when ``dataset_dir`` already holds exactly these sources (nothing to do), True when it
        must be written.

    Raises:
        DatasetConflictError: another dataset uses the id, or ``dataset_dir`` holds different
            content, and ``overwrite`` is false.
    """
    others = [p for p in datasets_using_id(dataset_dir.parent, dataset_id) if p != dataset_dir]
    if others and not overwrite:
        raise DatasetConflictError(
            f"nnU-Net dataset id {dataset_id} is already used by {[str(p) for p in others]}; choose another "
            "dataset_id or set overwrite: true to replace it."
        )
    if not dataset_dir.exists():
        return True
    if _existing_digest(dataset_dir) == digest:
        return False
    if not overwrite:
        raise DatasetConflictError(
            f"'{dataset_dir}' already holds a dataset with other content; choose another dataset_id "
            "or set overwrite: true to replace it."
        )
    return True


def _write_case(case: RawCase, temp_dir: Path) -> tuple[int, int]:
    """Write one case's image (and labels) as single-channel PNGs; return the exported shape."""
    images_dir, labels_dir = ("imagesTs", "labelsTs") if case.test else ("imagesTr", "labelsTr")
    image = read_grayscale(case.image_path, case.read_options)
    if case.scale_factor != 1.0:
        image = rescale_image(image, case.scale_factor)
    write_png_atomic(temp_dir / images_dir / f"{case.case_id}{CHANNEL_SUFFIX}{FILE_ENDING}", image)
    if case.label_path is not None:
        labels = read_label_map(case.label_path, case.read_options.allow_large_images)
        if case.scale_factor != 1.0:
            labels = rescale_labels(labels, case.scale_factor)
        if labels.shape != image.shape:
            raise ValueError(
                f"label map '{case.label_path}' has shape {labels.shape} but its image '{case.image_path}' "
                f"has {image.shape} after scaling; fix the source so each label matches its image."
            )
        write_png_atomic(temp_dir / labels_dir / f"{case.case_id}{FILE_ENDING}", labels)
    return image.shape[0], image.shape[1]


def write_raw_dataset(
    dataset_dir: Path | str, dataset_id: int, cases: Sequence[RawCase], modality: str, overwrite: bool = False
) -> dict[str, Any]:
    """Export ``cases`` as the nnU-Net raw dataset ``dataset_dir`` (``.../Dataset<ID>_<name>``).

    A dataset already holding the same sources is kept as it is. Training cases must be labelled.

    Returns:
        The written (or kept) ``dataset.json`` content.

    Raises:
        DatasetConflictError: the id is taken by other content and ``overwrite`` is false.
        ValueError: no training case, an unlabelled training case, or duplicate case ids.
    """
    dataset_dir = Path(dataset_dir)
    train = [c for c in cases if not c.test]
    if not train:
        raise ValueError(f"no training case for '{dataset_dir}': lower test_fraction or add labelled images.")
    unlabelled = [str(c.image_path) for c in train if c.label_path is None]
    if unlabelled:
        raise ValueError(f"training images without labels cannot be exported to '{dataset_dir}': {unlabelled}.")
    if len({c.case_id for c in cases}) != len(cases):
        raise ValueError(f"duplicate case ids among the images exported to '{dataset_dir}'.")
    digest = sources_digest(cases)
    if not check_dataset_id_free(dataset_dir, dataset_id, digest, overwrite):
        logger.info("'%s' already holds these %d images; keeping it.", dataset_dir, len(cases))
        return read_dataset_json(dataset_dir)
    replaced = [p for p in datasets_using_id(dataset_dir.parent, dataset_id) if p != dataset_dir]
    refuse_unsafe_writes(
        [Location(dataset_dir, "nnU-Net raw dataset")],
        [Location(path, "source image or label map") for c in cases for path in (c.image_path, c.label_path) if path],
        [Location(path, f"nnU-Net dataset with id {dataset_id} (replaced by overwrite)") for path in replaced],
    )
    metadata: dict[str, Any] = {"modality": modality, "content_digest": digest, "cases": {}}
    with atomic_directory(dataset_dir, overwrite=True) as temp_dir:
        for folder in ("imagesTr", "labelsTr", "imagesTs", "labelsTs"):
            (temp_dir / folder).mkdir()
        for case in tqdm(cases, desc=f"export {dataset_dir.name}", unit="image"):
            shape = _write_case(case, temp_dir)
            metadata["cases"][case.case_id] = {
                "source_image": str(case.image_path),
                "source_label": None if case.label_path is None else str(case.label_path),
                "subject": case.subject,
                "split": "test" if case.test else "train",
                "pixel_size_um": case.exported_pixel_size_um,
                "shape": list(shape),
            }
        metadata["pixel_size_um"] = common_pixel_size_um(c.exported_pixel_size_um for c in train)
        content = build_dataset_json(dataset_dir.name.split("_", 1)[1], len(train), metadata)
        (temp_dir / "dataset.json").write_text(json.dumps(content, indent=2), encoding="utf-8")
    for stale in replaced:
        logger.warning("Removing '%s': overwrite is set and it used dataset id %d.", stale, dataset_id)
        shutil.rmtree(stale)
    logger.info("Exported %d training and %d test images to '%s'.", len(train), len(cases) - len(train), dataset_dir)
    return content

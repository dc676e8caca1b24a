"""Write a tutorship dataset: translated images with the source labels, in nnU-Net v2 raw layout.

``<nnunet_dir>/nnUNet_raw/Dataset{ID:03d}_SYNTH_<target>_from_<source>/`` receives
``imagesTr/<NAME>_<case>_0000.png`` (the translation, original size), ``labelsTr/<NAME>_<case>.png``
(the source's labels, unchanged: copied byte for byte when they already are a single-channel
0/1/2 PNG, converted to 0/1/2 otherwise), ``dataset.json`` and ``translated_to_original.json``
(case -> source image and label). Case ids are the running index of the source image, so they
never collide whatever the source names are. When the translations are at a working pixel size
rather than the source's size, the labels are brought to each translation's shape (nearest
neighbour) and ``dataset.json`` records that pixel size (``axondeepsynth.pixel_size_um``, also
per case), which is then the pixel size of every model trained on the dataset. The folder is
built under a temporary name and
renamed when complete; an existing dataset with the same id is refused unless ``overwrite``, and
even then when it is one of the sources or was not written by the project (nothing is replaced).
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_io import read_label_map, write_png_atomic
from axondeepsynth.imaging.rescaling import resize_labels_to
from axondeepsynth.nnunet.raw_dataset import build_dataset_json, datasets_using_id
from axondeepsynth.project_outputs import Location, refuse_unsafe_writes
from axondeepsynth.translation.translated_case import TranslatedCase

logger = logging.getLogger(__name__)

MAPPING_FILE = "translated_to_original.json"


class MissingLabelError(ValueError):
    """A tutorship source image has no label map, or one whose shape differs from the image."""


@dataclass(frozen=True)
class NnUNetRawTarget:
    """Where a tutorship dataset goes and what it is called.

    Attributes:
        nnunet_dir: nnU-Net base folder (holds ``nnUNet_raw``).
        dataset_id: nnU-Net dataset id (1-999).
        source_contrast, target_contrast: modality names.
        dataset_name: the dataset's name (``Dataset{ID:03d}_<dataset_name>``, also the case-name
            prefix); empty: ``SYNTH_<target>_from_<source>``.
    """

    nnunet_dir: Path
    dataset_id: int
    source_contrast: str
    target_contrast: str
    dataset_name: str = ""

    def __post_init__(self) -> None:
        if not 1 <= int(self.dataset_id) <= 999:
            raise ValueError(f"nnU-Net dataset ids are 1-999, got {self.dataset_id} (the catalog entry's dataset_id).")

    @property
    def name(self) -> str:
        """Dataset name without the ``DatasetXXX_`` prefix; also the case-name prefix."""
        return self.dataset_name or f"SYNTH_{self.target_contrast}_from_{self.source_contrast}"

    @property
    def raw_dir(self) -> Path:
        """The ``nnUNet_raw`` folder."""
        return Path(self.nnunet_dir) / "nnUNet_raw"

    @property
    def dataset_dir(self) -> Path:
        """The dataset folder ``nnUNet_raw/Dataset{ID:03d}_<name>``."""
        return self.raw_dir / f"Dataset{int(self.dataset_id):03d}_{self.name}"


def refuse_existing_dataset_id(target: NnUNetRawTarget, overwrite: bool) -> None:
    """Raise :class:`FileExistsError` when any dataset already uses ``target.dataset_id``."""
    existing = datasets_using_id(target.raw_dir, target.dataset_id)
    if existing and not overwrite:
        raise FileExistsError(
            f"nnU-Net dataset id {target.dataset_id} is already used by {[str(p) for p in existing]}; "
            "give its catalog entry another dataset_id (conf/<env>/catalog.yml) or set translation.overwrite: true "
            "to replace it."
        )


def _is_nnunet_label_png(path: Path) -> bool:
    """True for a single-channel PNG whose values are all in {0, 1, 2} (copied unchanged)."""
    if path.suffix.lower() != ".png":
        return False
    with Image.open(path) as image:
        if image.mode != "L":
            return False
        return int(np.asarray(image).max()) <= 2


def _write_label(case: TranslatedCase, destination: Path, rescaled: bool) -> None:
    """The source's labels as a 0/1/2 PNG of the translation's shape (resized only when ``rescaled``)."""
    label_path = case.source.label_path
    if label_path is None:
        raise MissingLabelError(
            f"source image '{case.source.path}' has no label map; tutorship needs labelled sources "
            "(an nnU-Net raw dataset with labelsTr, or BIDS with *_seg-axonmyelin-manual masks)."
        )
    labels = read_label_map(label_path)
    if rescaled and labels.shape != case.image.shape:
        write_png_atomic(destination, resize_labels_to(labels, case.image.shape))
        return
    if labels.shape != case.image.shape:
        raise MissingLabelError(
            f"label map '{label_path}' has shape {labels.shape} but its image '{case.source.path}' "
            f"has shape {case.image.shape}; fix the source dataset so each label matches its image."
        )
    if _is_nnunet_label_png(Path(label_path)):
        shutil.copyfile(label_path, destination)
    else:
        write_png_atomic(destination, labels)


def _dataset_json(target: NnUNetRawTarget, count: int, pixel_size_um: float | None, case_ids: list[str]) -> dict:
    return build_dataset_json(
        target.name,
        count,
        {
            "description": f"{target.source_contrast} images translated into {target.target_contrast} by SynDiff, "
            "with the source labels (axondeepsynth tutorship)",
            "source_contrast": target.source_contrast,
            "target_contrast": target.target_contrast,
            "mapping": MAPPING_FILE,
            "modality": target.target_contrast,
            "pixel_size_um": pixel_size_um,
            "cases": {case_id: {"split": "train", "pixel_size_um": pixel_size_um} for case_id in case_ids},
        },
    )


def write_tutorship_dataset(
    target: NnUNetRawTarget, cases: Iterable[TranslatedCase], total: int, overwrite: bool = False,
    pixel_size_um: float | None = None,
) -> dict[str, dict[str, str]]:
    """Write the nnU-Net raw dataset of ``cases`` (consumed one at a time) and return the mapping.

    Args:
        target: destination and names.
        cases: translated images with their sources, in order.
        total: number of cases, to size the case ids (at least 4 digits).
        overwrite: replace datasets that already use ``target.dataset_id``.
        pixel_size_um: the pixel side (micrometres) the translations are at, when they are at a
            working pixel size instead of their source's size: labels are resized to them and the
            size is recorded. ``None``: translations at the source size, recorded as unknown.

    Returns:
        ``{case_id: {"image", "label", "source_image", "source_label", "source_case_id"}}``, the
        content of ``translated_to_original.json`` (paths inside the dataset are relative to it).
    """
    refuse_existing_dataset_id(target, overwrite)
    width = max(4, len(str(max(total - 1, 0))))
    mapping: dict[str, dict[str, str]] = {}
    replaced = [Location(p, f"nnU-Net dataset with id {target.dataset_id} (replaced by overwrite)")
                for p in datasets_using_id(target.raw_dir, target.dataset_id) if p != target.dataset_dir]
    read_from: list[Location] = []
    with atomic_directory(target.dataset_dir, overwrite=overwrite) as temp_dir:
        (temp_dir / "imagesTr").mkdir()
        (temp_dir / "labelsTr").mkdir()
        for index, case in enumerate(cases):
            case_id = f"{target.name}_{index:0{width}d}"
            image_name = f"imagesTr/{case_id}_0000.png"
            label_name = f"labelsTr/{case_id}.png"
            write_png_atomic(temp_dir / image_name, case.image)
            _write_label(case, temp_dir / label_name, rescaled=pixel_size_um is not None)
            read_from += case.source.locations()
            mapping[case_id] = {
                "image": image_name,
                "label": label_name,
                "source_image": str(case.source.path),
                "source_label": str(case.source.label_path),
                "source_case_id": case.source.case_id,
            }
        if not mapping:
            raise ValueError(f"no images were translated for '{target.dataset_dir}'; the source is empty.")
        content = _dataset_json(target, len(mapping), pixel_size_um, list(mapping))
        (temp_dir / "dataset.json").write_text(json.dumps(content, indent=2))
        (temp_dir / MAPPING_FILE).write_text(json.dumps(mapping, indent=2))
        refuse_unsafe_writes([Location(target.dataset_dir, "tutorship nnU-Net dataset")], read_from, replaced)
    for stale in replaced:
        logger.warning("Removing '%s': overwrite is set and it used dataset id %d.", stale.path, target.dataset_id)
        shutil.rmtree(stale.path)
    logger.info("Wrote tutorship dataset '%s' (%d cases).", target.dataset_dir, len(mapping))
    return mapping

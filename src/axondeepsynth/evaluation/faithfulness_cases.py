"""Which translated image carries which labels: the cases of a faithfulness evaluation.

Both translation outputs record where each translation came from in ``translated_to_original.json``
(see :mod:`axondeepsynth.translation.nnunet_raw_writer` and
:mod:`axondeepsynth.translation.image_folder_writer`):

- a tutorship nnU-Net raw dataset maps each case to ``image`` and ``label`` (relative to the
  dataset: the translation and the labels it carries) and ``source_image``;
- an adaptation image folder maps each file name to its ``source_image`` only; the labels it
  carries are those of the source image, found in a labelled source dataset
  (:func:`~axondeepsynth.imaging.sources.discover_images`) or under ``source_label`` when recorded.

Pixel sizes (for diameters in micrometres, and for the oracle to segment each translation at its
own pixel size) come from the tutorship dataset's ``dataset.json`` (the working pixel size its
translations are at, when recorded), else from the source dataset's records when one is given (an
adaptation folder records none: its translations keep their sources' sizes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.nnunet.raw_dataset import case_pixel_sizes_um, dataset_modality, read_dataset_json
from axondeepsynth.translation.nnunet_raw_writer import MAPPING_FILE


class FaithfulnessInputError(ValueError):
    """A translated dataset cannot be evaluated: no mapping file, or a case without carried labels."""


@dataclass(frozen=True)
class FaithfulnessCase:
    """One translated image and the labels it carries (all paths absolute).

    Attributes:
        name: the case id (tutorship) or file name (adaptation).
        translation_path: the translated image (uint8; the working pixel size a tutorship dataset
            records, or the source's original size).
        source_path: the image it was translated from.
        label_path: the carried label map (0/1/2 or AxonDeepSeg 0/127|128/255), the translation's shape.
        pixel_size_um: pixel side of the translation in micrometres, ``None`` when unknown.
        modality: the modality whose pixel sizes ``pixel_size_um`` belongs to: the tutorship
            dataset's (its translations'), or the labelled source dataset's for an adaptation folder
            (an oracle of another modality takes such images at their working pixel size, see
            :mod:`axondeepsynth.nnunet.prediction`); ``None`` when not recorded.
    """

    name: str
    translation_path: Path
    source_path: Path
    label_path: Path
    pixel_size_um: float | None = None
    modality: str | None = None


def _read_mapping(translated_dir: Path) -> dict[str, dict[str, str]]:
    mapping_path = translated_dir / MAPPING_FILE
    if not mapping_path.is_file():
        raise FaithfulnessInputError(
            f"'{mapping_path}' is missing; faithfulness needs a folder written by `kedro run --pipeline "
            "translation` (a tutorship nnU-Net raw dataset or an adaptation image folder)."
        )
    try:
        mapping = json.loads(mapping_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FaithfulnessInputError(f"cannot read '{mapping_path}' ({error}); translate the dataset again.") from error
    if not isinstance(mapping, dict) or not mapping:
        raise FaithfulnessInputError(f"'{mapping_path}' lists no translated image; translate the dataset again.")
    return mapping


def _carried_label(name: str, entry: dict[str, str], translated_dir: Path, record: ImageRecord | None) -> Path:
    if entry.get("label"):
        return translated_dir / entry["label"]
    recorded = entry.get("source_label")
    if recorded and recorded != "None":
        return Path(recorded)
    if record is not None and record.label_path is not None:
        return record.label_path
    raise FaithfulnessInputError(
        f"translated image '{name}' in '{translated_dir}' carries no labels: its source "
        f"'{entry.get('source_image')}' has no label map in faithfulness.source_dataset; point "
        "faithfulness.source_dataset at the labelled dataset the images were translated from."
    )


def _recorded_sizes(translated_dir: Path) -> tuple[dict[str, float], str | None]:
    """Per-case pixel sizes and the modality a tutorship dataset's ``dataset.json`` records
    (``{}, None`` for an adaptation folder, which has none)."""
    if not (translated_dir / "dataset.json").is_file():
        return {}, None
    dataset_json = read_dataset_json(translated_dir)
    return case_pixel_sizes_um(dataset_json), dataset_modality(dataset_json)


def read_faithfulness_cases(translated_dir: Path | str, source_records: list[ImageRecord] | None = None,
                            source_modality: str | None = None) -> list[FaithfulnessCase]:
    """The cases of a tutorship dataset or adaptation folder, in the mapping's order.

    Args:
        translated_dir: the folder holding ``translated_to_original.json``.
        source_records: the labelled source dataset's images (matched on the resolved source path),
            for labels of adaptation outputs and pixel sizes; ``None`` when not given.
        source_modality: the modality of ``source_records``' dataset, for a folder that records none.

    Raises:
        FaithfulnessInputError: no readable mapping, or a case without carried labels, or a
            translated image / label file that does not exist.
    """
    translated_dir = Path(translated_dir)
    records = {record.path.resolve(): record for record in source_records or []}
    recorded_sizes, recorded_modality = _recorded_sizes(translated_dir)
    cases = []
    for name, entry in _read_mapping(translated_dir).items():
        source = Path(entry["source_image"])
        record = records.get(source.resolve())
        case = FaithfulnessCase(
            name=name,
            translation_path=translated_dir / entry.get("image", name),
            source_path=source,
            label_path=_carried_label(name, entry, translated_dir, record),
            pixel_size_um=recorded_sizes.get(name) or (record.pixel_size_um if record is not None else None),
            modality=recorded_modality or source_modality,
        )
        for path in (case.translation_path, case.source_path, case.label_path):
            if not path.is_file():
                raise FaithfulnessInputError(
                    f"'{path}' (case '{name}' of '{translated_dir}') does not exist; the translated dataset "
                    "is incomplete or was moved: translate it again."
                )
        cases.append(case)
    return cases

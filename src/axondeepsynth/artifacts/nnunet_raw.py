"""An nnU-Net v2 raw dataset as the catalog hands it over, and what an export writes into one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axondeepsynth.nnunet.raw_dataset import RawCase
from axondeepsynth.translation.translation_manifest import TranslationManifest


@dataclass(frozen=True)
class NnUNetRawHandle:
    """A written ``nnUNet_raw/Dataset<ID>_<NAME>`` folder.

    Attributes:
        path: the dataset folder.
        dataset_id: nnU-Net's id (1-999).
        dataset_json: its ``dataset.json`` (with the project's ``axondeepsynth`` record).
        translation: the run that wrote it, for a tutorship dataset (else ``None``).
    """

    path: Path
    dataset_id: int
    dataset_json: dict[str, Any] = field(default_factory=dict)
    translation: TranslationManifest | None = None

    @property
    def nnunet_dir(self) -> Path:
        """The nnU-Net base folder (holds ``nnUNet_raw``, ``nnUNet_preprocessed``, ``nnUNet_results``)."""
        return self.path.parent.parent

    @property
    def name(self) -> str:
        """``Dataset<ID>_<NAME>``."""
        return self.path.name

    @property
    def test_images_dir(self) -> Path:
        return self.path / "imagesTs"

    @property
    def test_labels_dir(self) -> Path:
        return self.path / "labelsTs"


@dataclass(frozen=True)
class RawDatasetExport:
    """A labelled image folder to export as an nnU-Net raw dataset (pixels read while written).

    Attributes:
        cases: every image with its label, split and scale factor.
        modality: recorded in ``dataset.json``.
        overwrite: replace a dataset of other content at the catalog entry's id.
    """

    cases: Sequence[RawCase]
    modality: str
    overwrite: bool = False

    @property
    def test_subjects(self) -> list[str]:
        return sorted({case.subject for case in self.cases if case.test and case.label_path is not None})

"""Kedro dataset for an nnU-Net v2 raw dataset: ``<nnunet_dir>/nnUNet_raw/Dataset<ID>_<NAME>/``.

The id and name are catalog arguments because ``Dataset<ID>_<NAME>`` *is* the location (nnU-Net
finds datasets by id). Saving takes either an export plan
(:class:`~axondeepsynth.artifacts.nnunet_raw.RawDatasetExport`: labelled images, read, scaled and
written one at a time) or a lazy translation
(:class:`~axondeepsynth.artifacts.translated_images.TranslatedImages`: the tutorship dataset, each
translated image written as it is produced, the run's manifest recorded beside ``dataset.json``).
Both are built in a temporary folder and renamed when complete. Loading returns an
:class:`~axondeepsynth.artifacts.nnunet_raw.NnUNetRawHandle`.

Example catalog entry::

    source_nnunet_raw:
      type: axondeepsynth.datasets.nnunet_raw_dataset.NnUNetRawDataset
      nnunet_dir: data/06_models/nnunet
      dataset_id: 501
      dataset_name: SOURCE
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle, RawDatasetExport
from axondeepsynth.artifacts.translated_images import MANIFEST_FILE, TranslatedImages
from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.nnunet.environment import dataset_folder_name
from axondeepsynth.nnunet.raw_dataset import read_dataset_json, write_raw_dataset
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget, write_tutorship_dataset
from axondeepsynth.translation.translation_manifest import TranslationManifest

logger = logging.getLogger(__name__)


def write_manifest(manifest: TranslationManifest, folder: Path) -> None:
    """``translation_manifest.json`` inside ``folder`` (a record of the run, replaced each time)."""
    with atomic_file(folder / MANIFEST_FILE, overwrite=True) as temp:
        temp.write_text(manifest.to_json(), encoding="utf-8")


class NnUNetRawDataset(AbstractDataset[RawDatasetExport | TranslatedImages, NnUNetRawHandle]):
    """One nnU-Net raw dataset folder, located by ``nnunet_dir``, ``dataset_id`` and ``dataset_name``."""

    def __init__(self, nnunet_dir: str, dataset_id: int, dataset_name: str,
                 metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            nnunet_dir: nnU-Net base folder; the dataset goes to ``nnUNet_raw/`` inside it, and nnU-Net
                puts its plans and models beside (``nnUNet_preprocessed/``, ``nnUNet_results/``).
            dataset_id: 1-999, unique among the datasets under ``nnunet_dir``.
            dataset_name: the name after ``Dataset<ID>_``.
            metadata: free-form, ignored by Kedro.
        """
        if not 1 <= int(dataset_id) <= 999:
            raise DatasetError(f"dataset_id {dataset_id} of the catalog entry for '{dataset_name}' must be 1-999.")
        self._dataset_id = int(dataset_id)
        self._dataset_dir = Path(nnunet_dir) / "nnUNet_raw" / dataset_folder_name(self._dataset_id, dataset_name)
        self._dataset_name = dataset_name
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._dataset_dir), "dataset_id": self._dataset_id}

    def _exists(self) -> bool:
        return (self._dataset_dir / "dataset.json").is_file()

    def load(self) -> NnUNetRawHandle:
        if not self._exists():
            raise DatasetError(
                f"No nnU-Net raw dataset at '{self._dataset_dir}'; run the pipeline that writes it first "
                "(data_engineering for the source and target exports, translation for the tutorship dataset)."
            )
        manifest = self._dataset_dir / MANIFEST_FILE
        translation = (TranslationManifest.from_json(manifest.read_text(encoding="utf-8"))
                       if manifest.is_file() else None)
        return NnUNetRawHandle(self._dataset_dir, self._dataset_id, read_dataset_json(self._dataset_dir), translation)

    def save(self, data: RawDatasetExport | TranslatedImages) -> None:
        if isinstance(data, TranslatedImages):
            self._save_translation(data)
            return
        try:
            write_raw_dataset(self._dataset_dir, self._dataset_id, data.cases, data.modality, overwrite=data.overwrite)
        except FileExistsError as error:
            raise type(error)(f"{error} (`dataset_id` is set on the catalog entry of '{self._dataset_dir.name}'; "
                              "`overwrite` is nnunet_export.overwrite)") from error

    def _save_translation(self, data: TranslatedImages) -> None:
        target = NnUNetRawTarget(self._dataset_dir.parent.parent, self._dataset_id, data.source_contrast,
                                 data.target_contrast, self._dataset_name)
        mapping = write_tutorship_dataset(target, data.cases, data.total, data.overwrite, data.pixel_size_um)
        outputs = {str((self._dataset_dir / entry["image"]).resolve()): entry["source_image"]
                   for entry in mapping.values()}
        write_manifest(data.manifest(self._dataset_dir, outputs, self._dataset_id), self._dataset_dir)

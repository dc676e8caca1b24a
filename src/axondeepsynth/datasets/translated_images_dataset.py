"""Kedro dataset for a folder of translated images (the adaptation arm's output).

Saving a lazy :class:`~axondeepsynth.artifacts.translated_images.TranslatedImages` writes each
translation as ``<source stem>.png`` at the source's size as it is produced (built in a temporary
folder, renamed when complete) with ``translated_to_original.json`` and the run's
``translation_manifest.json``. Loading returns that
:class:`~axondeepsynth.translation.translation_manifest.TranslationManifest`.

Example catalog entry::

    "{arm}.translated_images":
      type: axondeepsynth.datasets.translated_images_dataset.TranslatedImagesDataset
      path: data/07_model_output/{arm}/translated
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.artifacts.translated_images import MANIFEST_FILE, TranslatedImages
from axondeepsynth.datasets.nnunet_raw_dataset import write_manifest
from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.translation_manifest import TranslationManifest


class TranslatedImagesDataset(AbstractDataset[TranslatedImages, TranslationManifest]):
    """A folder of translated images and the manifest of the run that wrote them."""

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(path)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}

    def _exists(self) -> bool:
        return (self._path / MANIFEST_FILE).is_file()

    def load(self) -> TranslationManifest:
        if not self._exists():
            raise DatasetError(f"No translation in '{self._path}'; run `kedro run --pipeline translation` first.")
        return TranslationManifest.from_json((self._path / MANIFEST_FILE).read_text(encoding="utf-8"))

    def save(self, data: TranslatedImages) -> None:
        mapping = write_image_folder(self._path, data.cases, data.overwrite)
        outputs = {str((self._path / name).resolve()): entry["source_image"] for name, entry in mapping.items()}
        write_manifest(data.manifest(self._path, outputs), self._path)

"""Kedro dataset that runs a planned translation while writing its outputs, and records them.

Saving a :class:`~axondeepsynth.translation.translation_request.TranslationRequest` translates
the source images one at a time and writes them where the request says (an nnU-Net raw dataset
for tutorship, an image folder for adaptation; both built in a temporary folder and renamed when
complete), then writes the run's :class:`~axondeepsynth.translation.translation_manifest.TranslationManifest`
to ``filepath``. Loading returns that manifest. The big outputs live where the parameters put
them; ``filepath`` is only the small record that later nodes read to find them.

Example catalog entry::

    translation_output:
      type: axondeepsynth.datasets.translation_output_dataset.TranslationOutputDataset
      filepath: data/07_model_output/translation/manifest.json
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.translation.translation_manifest import TranslationManifest
from axondeepsynth.translation.translation_request import TranslationRequest

logger = logging.getLogger(__name__)


class TranslationOutputDataset(AbstractDataset[TranslationRequest, TranslationManifest]):
    """Runs a translation on save; loads the manifest of the last run."""

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            filepath: the manifest JSON file (replaced by every run: it is a record, not user data).
            metadata: free-form, ignored by Kedro.
        """
        self._filepath = Path(filepath)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}

    def _exists(self) -> bool:
        return self._filepath.is_file()

    def load(self) -> TranslationManifest:
        if not self._filepath.is_file():
            raise DatasetError(
                f"No translation manifest at '{self._filepath}'; run `kedro run --pipeline translation` first."
            )
        return TranslationManifest.from_json(self._filepath.read_text(encoding="utf-8"))

    def save(self, data: TranslationRequest) -> None:
        manifest = data.run()
        with atomic_file(self._filepath, overwrite=True) as temp:
            temp.write_text(manifest.to_json(), encoding="utf-8")
        logger.info("Translation manifest written to %s (%s, %d images).", self._filepath, manifest.mode,
                    len(manifest.outputs))

"""Kedro dataset for the phantom tree (``sem_bids``, ``tem_bids``, ``paired``, ``nnunet``).

``save(collection)`` writes the whole tree beside ``path`` and renames it into place when
complete. A tree already generated from an identical config is kept as it is (regenerating it
would give the same pixels), so a pipeline that always saves phantoms costs nothing on re-runs.
Anything else at ``path`` is refused unless the dataset is declared with ``overwrite: true``.
``load()`` returns the :class:`~axondeepsynth.phantoms.PhantomManifest`: the paths of each part and
the config, not the images (the BIDS and nnU-Net folders are what later stages read). Saving a
:class:`~axondeepsynth.artifacts.phantoms.PhantomsNotGenerated` (user data) writes nothing, and
without a tree ``load()`` returns such a record: the entry is the ordering edge before the inputs.

Catalog entry::

    phantoms:
      type: axondeepsynth.datasets.phantom_dataset.PhantomDataset
      path: data/01_raw/phantoms
      overwrite: false
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset

from axondeepsynth.artifacts.phantoms import PhantomsNotGenerated
from axondeepsynth.phantoms import (
    PhantomCollection,
    PhantomManifest,
    PhantomManifestError,
    read_manifest,
    write_phantom_tree,
)
from axondeepsynth.phantoms.manifest import MANIFEST_NAME

logger = logging.getLogger(__name__)


class PhantomTreeMismatchError(FileExistsError):
    """``path`` holds a different phantom tree (or other data) and ``overwrite`` is false."""


class PhantomDataset(AbstractDataset[PhantomCollection | PhantomsNotGenerated, PhantomManifest | PhantomsNotGenerated]):
    """Write a :class:`PhantomCollection` as a phantom tree at ``path``; load its manifest."""

    def __init__(self, path: str, overwrite: bool = False, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            path: the tree's folder (e.g. ``data/01_raw/phantoms``).
            overwrite: replace a tree generated from another config, or any other content of ``path``.
            metadata: free-form Kedro metadata, ignored here.
        """
        self._path = Path(path)
        self._overwrite = overwrite
        self.metadata = metadata

    def load(self) -> PhantomManifest | PhantomsNotGenerated:
        manifest = read_manifest(self._path)
        return manifest if manifest is not None else PhantomsNotGenerated(f"no phantom tree at '{self._path}'")

    def save(self, data: PhantomCollection | PhantomsNotGenerated) -> None:
        if isinstance(data, PhantomsNotGenerated):
            logger.info("Phantoms not generated (%s).", data.reason)
            return
        try:
            existing = read_manifest(self._path)
        except PhantomManifestError:
            existing = None
        if existing is not None and existing.config == data.config:
            logger.info("Phantoms at '%s' already match the requested config; keeping them.", self._path)
            return
        if self._path.exists() and any(self._path.iterdir()) and not self._overwrite:
            what = "phantoms generated from another config" if existing else "data that is not a phantom tree"
            raise PhantomTreeMismatchError(
                f"'{self._path}' holds {what}; set overwrite: true on this catalog entry to replace it, "
                "or choose another path."
            )
        write_phantom_tree(data.config, self._path, overwrite=self._overwrite)

    def _exists(self) -> bool:
        return (self._path / MANIFEST_NAME).is_file()

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path), "overwrite": self._overwrite}

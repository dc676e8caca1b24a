"""Kedro dataset for the SynDiff checkpoint folder (``data/06_models/syndiff``).

Training writes checkpoints *during* a long node (every few epochs, and a resume state that
must survive a kill), which Kedro's save-after-the-node model cannot do. So this dataset is
the project's one deliberate side-effecting node input: ``load()`` hands the node a
:class:`~axondeepsynth.syndiff.checkpoints.CheckpointStore` and the node writes through it.
The translation pipeline loads the same entry to read generators back; to run after training
it should also take the training summary (``syndiff_training_summary``) as an input. ``save()``
is refused: nothing is handed to this dataset after a node.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.syndiff.checkpoints import CheckpointStore

logger = logging.getLogger(__name__)


class CheckpointDirectoryDataset(AbstractDataset[Any, CheckpointStore]):
    """Folder of SynDiff experiments; loads as a :class:`CheckpointStore`.

    Example catalog entry::

        syndiff_checkpoints:
          type: axondeepsynth.datasets.checkpoint_directory_dataset.CheckpointDirectoryDataset
          path: data/06_models/syndiff
    """

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            path: root folder; one sub-folder per ``experiment_name``.
            metadata: free-form, ignored by Kedro.
        """
        self._path = Path(path)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}

    def _exists(self) -> bool:
        return self._path.is_dir()

    def load(self) -> CheckpointStore:
        """The store (the folder is created on the first checkpoint write, not here)."""
        return CheckpointStore(self._path)

    def save(self, data: Any) -> None:
        raise DatasetError(
            f"CheckpointDirectoryDataset({self._path}) is read-only in the catalog: checkpoints are "
            "written during training through the CheckpointStore that load() returns."
        )

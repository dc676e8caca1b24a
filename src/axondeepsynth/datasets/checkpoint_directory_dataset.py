"""Kedro dataset for the SynDiff experiment folder (``data/06_models/syndiff/<experiment>``).

Training writes checkpoints *during* a long node (every few epochs, and a resume state that must
survive a kill), which Kedro's save-after-the-node model cannot do. So this entry is the project's
one deliberate side-effecting node input: ``load()`` hands the training node a
:class:`~axondeepsynth.artifacts.syndiff_model.SynDiffExperiment` it writes through, and
``save()`` is refused. What later nodes read is the finished run, catalog ``syndiff_model``
(:mod:`axondeepsynth.datasets.syndiff_model_dataset`), which gives them the ordering edge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment
from axondeepsynth.syndiff.checkpoints import CheckpointStore


class CheckpointDirectoryDataset(AbstractDataset[Any, SynDiffExperiment]):
    """One SynDiff experiment folder; loads as a :class:`SynDiffExperiment`.

    Example catalog entry::

        syndiff_checkpoints:
          type: axondeepsynth.datasets.checkpoint_directory_dataset.CheckpointDirectoryDataset
          path: data/06_models/syndiff/exp_syndiff
    """

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            path: the experiment folder (created on the first checkpoint write).
            metadata: free-form, ignored by Kedro.
        """
        self._path = Path(path)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}

    def _exists(self) -> bool:
        return self._path.is_dir()

    def load(self) -> SynDiffExperiment:
        return SynDiffExperiment(CheckpointStore(self._path.parent), self._path.name)

    def save(self, data: Any) -> None:
        raise DatasetError(
            f"CheckpointDirectoryDataset({self._path}) is read-only in the catalog: checkpoints are "
            "written during training through the SynDiffExperiment that load() returns."
        )

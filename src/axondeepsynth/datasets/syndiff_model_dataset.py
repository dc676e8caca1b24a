"""Kedro dataset for a finished SynDiff run: ``model.json`` inside its experiment folder.

Saving the training node's record (contrasts, epochs, checkpoint epochs, final metrics) marks the
run finished; loading returns a :class:`~axondeepsynth.artifacts.syndiff_model.TrainedSynDiff`
(where the generators are, which contrasts) for the translation nodes, which thereby run after
the training.

Example catalog entry::

    syndiff_model:
      type: axondeepsynth.datasets.syndiff_model_dataset.SynDiffModelDataset
      filepath: data/06_models/syndiff/exp_syndiff/model.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment, TrainedSynDiff
from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.syndiff.checkpoints import CheckpointStore


class SynDiffModelDataset(AbstractDataset[dict[str, Any], TrainedSynDiff]):
    """The record of a finished SynDiff run, beside its checkpoints."""

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._filepath = Path(filepath)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}

    def _exists(self) -> bool:
        return self._filepath.is_file()

    def load(self) -> TrainedSynDiff:
        if not self._exists():
            raise DatasetError(f"No trained SynDiff at '{self._filepath.parent}'; run "
                               "`kedro run --pipeline syndiff_training` first.")
        record = json.loads(self._filepath.read_text(encoding="utf-8"))
        folder = self._filepath.parent
        experiment = SynDiffExperiment(CheckpointStore(folder.parent), folder.name)
        return TrainedSynDiff(experiment, tuple(record["contrasts"]), record)

    def save(self, data: dict[str, Any]) -> None:
        with atomic_file(self._filepath, overwrite=True) as temp:
            temp.write_text(json.dumps(data, indent=2), encoding="utf-8")

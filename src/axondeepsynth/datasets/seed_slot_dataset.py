"""Kedro dataset wrapper for an entry of a replicate seed slot: the real dataset, or "skipped".

A replicate slot that ``experiment.seeds`` leaves out passes a
:class:`~axondeepsynth.artifacts.skipped_seed_slot.SkippedSeedSlot` through its nodes; this wrapper
records it in a small JSON marker instead of asking the wrapped dataset to write it, and loading
returns it while the marker is there. Saving real data removes the marker, so a later run with
more seeds uses the slot's outputs as usual; the wrapped dataset's data of an earlier run is left
untouched by a skipped run.

Example catalog entry (a dataset factory of the slots ``seed_1``, ``seed_2``)::

    "seed_{replicate}.syndiff_model":
      type: axondeepsynth.datasets.seed_slot_dataset.SeedSlotDataset
      skipped_marker: data/06_models/seed_replicates/seed_{replicate}/syndiff_model.skipped.json
      dataset:
        type: axondeepsynth.datasets.syndiff_model_dataset.SynDiffModelDataset
        filepath: data/06_models/syndiff/seed_{replicate}/exp_syndiff/model.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset

from axondeepsynth.artifacts.skipped_seed_slot import SkippedSeedSlot
from axondeepsynth.imaging.atomic import atomic_file


class SeedSlotDataset(AbstractDataset[Any, Any]):
    """``dataset`` (any catalog definition), or the slot's "skipped" marker at ``skipped_marker``."""

    def __init__(self, dataset: dict[str, Any] | str, skipped_marker: str,
                 metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            dataset: the wrapped dataset's catalog definition (a ``type`` and its arguments).
            skipped_marker: JSON file written when the slot is skipped, removed when it runs.
            metadata: free-form, ignored by Kedro.
        """
        config = {"type": dataset} if isinstance(dataset, str) else dataset
        self._dataset = AbstractDataset.from_config("_seed_slot", config)
        self._marker = Path(skipped_marker)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"dataset": self._dataset._describe(), "skipped_marker": str(self._marker)}

    def _exists(self) -> bool:
        """A skipped slot produced nothing: ``--only-missing-outputs`` reruns it (after ``experiment.seeds`` grew)."""
        return not self._marker.is_file() and self._dataset.exists()

    def load(self) -> Any:
        if self._marker.is_file():
            record = json.loads(self._marker.read_text(encoding="utf-8"))
            return SkippedSeedSlot(record["slot"], record["seeds"])
        return self._dataset.load()

    def save(self, data: Any) -> None:
        if isinstance(data, SkippedSeedSlot):
            with atomic_file(self._marker, overwrite=True) as temp:
                temp.write_text(json.dumps({"slot": data.slot, "seeds": data.seeds}), encoding="utf-8")
            return
        self._marker.unlink(missing_ok=True)
        self._dataset.save(data)

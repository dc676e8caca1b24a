"""The SynDiff experiment folder during training, and the trained model that translation reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axondeepsynth.syndiff.checkpoints import CheckpointStore


@dataclass(frozen=True)
class SynDiffExperiment:
    """Catalog ``syndiff_checkpoints``: the folder training writes checkpoints into while it runs.

    Attributes:
        store: the checkpoint store holding the folder.
        name: the experiment folder's name inside the store.
    """

    store: CheckpointStore
    name: str

    @property
    def path(self) -> Path:
        return self.store.experiment_dir(self.name)


@dataclass(frozen=True)
class TrainedSynDiff:
    """Catalog ``syndiff_model``: a finished training run and where its generators are.

    Attributes:
        experiment: the experiment folder (its checkpoints).
        contrasts: (contrast1, contrast2); generator "1" produces contrast1.
        record: what the run recorded (epochs completed, checkpoint epochs, final metrics).
    """

    experiment: SynDiffExperiment
    contrasts: tuple[str, str]
    record: dict[str, Any] = field(default_factory=dict)

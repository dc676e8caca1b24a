"""``segmentation``: nnU-Net v2 planning, training (which folds), prediction and evaluation.

Every arm of the experiment reads this one block; which dataset an arm trains on and which images
it segments are catalog entries. The nnU-Net settings classes are imported where they are built,
so that checking parameters (before any run) does not import torch.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BeforeValidator, Field

from axondeepsynth.parameters.fields import Fraction, NonNegativeInt, PositiveFloat, PositiveInt
from axondeepsynth.parameters.strict_model import StrictModel

if TYPE_CHECKING:
    from axondeepsynth.nnunet.planning import PlanningSettings
    from axondeepsynth.nnunet.prediction import PredictionSettings
    from axondeepsynth.nnunet.training import TrainingSettings

Fold = Literal[0, 1, 2, 3, 4, "all"]


def _as_tuple(value: object) -> object:
    """A single fold (``--params segmentation.training.folds=all``) as a one-fold list."""
    return (value,) if isinstance(value, (int, str)) else value


Folds = Annotated[tuple[Fold, ...], BeforeValidator(_as_tuple)]
FOLD_SLOTS: tuple[str, ...] = ("0", "1", "2", "3", "4", "all")
"""One training node per slot; a slot trains only when its fold is in ``training.folds``."""


def _settings_values(model: StrictModel, settings_class: type) -> dict:
    return {f.name: getattr(model, f.name) for f in fields(settings_class) if f.name in type(model).model_fields}


class NnUNetParams(StrictModel):
    """``num_processes``: nnU-Net worker processes (integrity check, preprocessing, export)."""

    num_processes: PositiveInt


class PlanningParams(StrictModel):
    """See :class:`~axondeepsynth.nnunet.planning.PlanningSettings`."""

    configuration: str
    planner: str
    plans_identifier: str | None
    gpu_memory_target_gb: PositiveFloat | None
    replan: bool
    on_dataset_change: Literal["replan", "stop"]

    def settings(self, num_processes: int) -> PlanningSettings:
        from axondeepsynth.nnunet.planning import PlanningSettings

        return PlanningSettings(num_processes=num_processes, **_settings_values(self, PlanningSettings))


class TrainingParams(StrictModel):
    """See :class:`~axondeepsynth.nnunet.training.TrainingSettings`; ``folds``: 0-4 and/or ``all``."""

    trainer: str
    folds: Folds
    num_epochs: PositiveInt | None
    iterations_per_epoch: PositiveInt | None
    val_iterations_per_epoch: PositiveInt | None
    save_every: PositiveInt | None
    augmentation_processes: NonNegativeInt
    device: str
    continue_training: bool
    run_validation: bool = Field(alias="validate")

    def settings(self) -> TrainingSettings:
        from axondeepsynth.nnunet.training import TrainingSettings

        return TrainingSettings(validate=self.run_validation, **_settings_values(self, TrainingSettings))

    def trains(self, slot: str) -> bool:
        """Whether the fold slot ``slot`` (``"0"`` ... ``"4"``, ``"all"``) is selected."""
        return slot in {str(fold) for fold in self.folds}


class PredictionParams(StrictModel):
    """See :class:`~axondeepsynth.nnunet.prediction.PredictionSettings`; ``folds``: the trained
    folds to ensemble (null: all of them); ``pixel_size_um``: for images of unknown pixel size."""

    folds: Folds | None
    use_best_checkpoint: bool
    use_mirroring: bool
    tile_step_size: Fraction
    device: str
    pixel_size_um: PositiveFloat | None

    def settings(self) -> PredictionSettings:
        from axondeepsynth.nnunet.prediction import PredictionSettings

        return PredictionSettings(**_settings_values(self, PredictionSettings))


class EvaluationParams(StrictModel):
    """``min_iou`` (axon match), ``min_axon_area_px`` (smaller specks ignored), ``overlay_images``."""

    min_iou: Fraction
    min_axon_area_px: PositiveInt
    overlay_images: NonNegativeInt


class SegmentationParams(StrictModel):
    nnunet: NnUNetParams
    planning: PlanningParams
    training: TrainingParams
    prediction: PredictionParams
    evaluation: EvaluationParams

"""``syndiff_training``: architecture preset and overrides, schedule, devices.

The contrasts are not parameters: contrast1 is the first modality of the SynDiff sets (the source),
contrast2 the second. The experiment folder is the catalog's ``syndiff_checkpoints`` entry.
The model's classes are imported where they are built (checking parameters imports no torch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from axondeepsynth.parameters.fields import NonNegativeInt, PositiveInt
from axondeepsynth.parameters.strict_model import StrictModel

if TYPE_CHECKING:
    from axondeepsynth.syndiff.config import SynDiffConfig
    from axondeepsynth.syndiff.training_run import TrainingSettings


class SynDiffTrainingParams(StrictModel):
    """Attributes (see ``conf/base/parameters_syndiff_training.yml`` for each one's meaning):
    ``preset`` (``tiny`` | ``default``) and ``model_config`` / ``diffusion_config`` /
    ``optimization_config`` overrides of its fields; run settings (``seed``, ``resume``,
    ``overwrite``, ``save_*_every``, ``figure_every``, ``validate_every``, ``val_max_images``,
    ``max_steps_per_epoch``, ``max_epochs_per_run``, ``cpu_threads``, ``precision``, ``channels_last``,
    ``epoch_definition``);
    where it runs (``device``, ``devices``, ``world_size``).
    """

    seed: NonNegativeInt
    preset: Literal["tiny", "default"]
    model_overrides: dict[str, Any] = Field(alias="model_config")
    diffusion_overrides: dict[str, Any] = Field(alias="diffusion_config")
    optimization_overrides: dict[str, Any] = Field(alias="optimization_config")
    resume: bool
    overwrite: bool
    save_ckpt_every: PositiveInt
    save_content_every: PositiveInt
    figure_every: PositiveInt
    validate_every: PositiveInt
    val_max_images: PositiveInt
    max_steps_per_epoch: PositiveInt | None
    max_epochs_per_run: PositiveInt | None
    device: str
    devices: tuple[NonNegativeInt, ...]
    world_size: PositiveInt
    cpu_threads: PositiveInt | None
    precision: Literal["auto", "bf16", "fp32"]
    channels_last: bool | Literal["auto"]
    epoch_definition: Literal["tiles", "original"]

    def syndiff_config(self) -> SynDiffConfig:
        """The preset with the overrides applied (raises ``ConfigError`` naming a bad key)."""
        from axondeepsynth.syndiff.config import preset

        return preset(self.preset, {"model": self.model_overrides, "diffusion": self.diffusion_overrides,
                                    "optimization": self.optimization_overrides})

    def training_settings(self, experiment_name: str, contrast1: str, contrast2: str) -> TrainingSettings:
        """Run settings for the experiment folder ``experiment_name`` and the two contrasts."""
        from axondeepsynth.syndiff.training_run import TrainingSettings

        run_keys = set(TrainingSettings.__dataclass_fields__) - {"experiment_name", "contrast1", "contrast2"}
        values = {key: getattr(self, key) for key in run_keys if key in type(self).model_fields}
        return TrainingSettings(experiment_name=experiment_name, contrast1=contrast1, contrast2=contrast2, **values)

"""``translation``: how a trained SynDiff translates (both arms read this one block).

What is translated and where it goes are catalog entries (``tiles_to_translate`` ->
``tutorship.nnunet_raw``, ``target_nnunet_raw`` -> ``adaptation.translated_images``); the
direction follows from them (the tile set's modality; the target's modality).
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from axondeepsynth.parameters.fields import NonNegativeInt, PositiveInt, Scale
from axondeepsynth.parameters.strict_model import StrictModel


class TranslationParams(StrictModel):
    """Attributes:
        which_epoch: checkpoint epoch, or ``latest``.
        tile_size, overlap: tiling of folder sources (a tile set keeps its own) in pixels of the
            scaled image; null: the model's training size, a quarter of the tile.
        scale_factor: size multiplier of folder sources before tiling, or ``auto``.
        batch_size: tiles per model call (batches span images).
        device, devices: ``auto`` | ``cpu`` | ``cuda[:N]``; several ``devices`` split each batch.
        cpu_threads: torch CPU threads while translating; null: idle cores / CPU devices.
        precision, channels_last: ``auto`` (the device's fastest) | ``bf16`` | ``fp32``, and
            ``auto`` | true | false (see ``axondeepsynth.syndiff.precision``).
        seed: each image's noise seed derives from it and the image index.
        overwrite: replace an output an earlier run wrote.
        figure_images: rows of the before/after figure.
    """

    which_epoch: NonNegativeInt | Literal["latest"]
    tile_size: PositiveInt | None
    overlap: NonNegativeInt | None
    scale_factor: Scale
    batch_size: PositiveInt
    device: str
    devices: tuple[str, ...]
    cpu_threads: PositiveInt | None
    precision: Literal["auto", "bf16", "fp32"]
    channels_last: bool | Literal["auto"]
    seed: NonNegativeInt
    overwrite: bool
    figure_images: PositiveInt

    @model_validator(mode="after")
    def _overlap_below_tile(self) -> TranslationParams:
        if self.tile_size is not None and self.overlap is not None and self.overlap >= self.tile_size:
            raise ValueError(f"overlap ({self.overlap} px) must be smaller than tile_size ({self.tile_size} px)")
        return self

    @property
    def torch_devices(self) -> tuple[str, ...]:
        """``devices`` when given, else ``(device,)``."""
        return self.devices or (self.device,)

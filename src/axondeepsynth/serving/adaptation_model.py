"""The adaptation inference path as one MLflow pyfunc model: translate, then segment and measure.

New-modality images are translated into the modality the nnU-Net model was trained on by the
SynDiff diffusive generator (the run artifact ``syndiff_checkpoints``: ``<experiment>/
gen_diffusive_{1,2}_<epoch>.pth``, a :class:`~axondeepsynth.syndiff.checkpoints.CheckpointStore`
root), whole images tiled and stitched by the project's translation engine, then segmented as in
:class:`~axondeepsynth.serving.nnunet_segmenter_model.NnUNetSegmenterModel`. An image of a known
pixel size is translated at the SynDiff working pixel size of its modality; the translation comes
back at the image's own size. An image of unknown pixel size (or a model without a working pixel
size) is scaled by ``scale_factor`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from axondeepsynth.serving.nnunet_segmenter_model import NnUNetSegmenterModel
from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.translation.image_tiles import tile_image
from axondeepsynth.translation.model_translation import load_model_translation
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine

SYNDIFF_ARTIFACT = "syndiff_checkpoints"


@dataclass(frozen=True)
class TranslationConfig:
    """The translation part of the adaptation model's ``model_config``.

    Attributes:
        syndiff_experiment, syndiff_epoch: the checkpoint inside the ``syndiff_checkpoints`` artifact
            (an epoch number, or ``latest`` when logging).
        source_contrast: modality of the images the model receives (one of the checkpoint's contrasts).
        working_pixel_size_um: pixel side (µm) at which SynDiff saw that modality.
        scale_factor: size multiplier where ``working_pixel_size_um`` or the image's pixel size is unknown.
        tile_size, overlap: pixels of the scaled image; tiles are blended where they overlap.
            ``None``: the generator's training size, a quarter of the tile.
        batch_size: tiles per generator call.
        seed: each image's noise seed derives from it and the image's row.
        translation_device: ``auto``, ``cpu``, ``cuda``...
    """

    syndiff_experiment: str
    syndiff_epoch: int | str
    source_contrast: str
    tile_size: int | None = None
    overlap: int | None = None
    working_pixel_size_um: float | None = None
    scale_factor: float = 1.0
    batch_size: int = 8
    seed: int = 42
    translation_device: str = "auto"

    @classmethod
    def from_model_config(cls, config: dict[str, Any]) -> TranslationConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in config.items() if key in known})


class AdaptationModel(NnUNetSegmenterModel):
    """Translate new-modality images with SynDiff, then segment them with the source nnU-Net."""

    def load_context(self, context: Any) -> None:
        super().load_context(context)
        self._translation_config = TranslationConfig.from_model_config(dict(context.model_config))
        config = self._translation_config
        self._translation = load_model_translation(
            CheckpointStore(context.artifacts[SYNDIFF_ARTIFACT]), config.syndiff_experiment, config.syndiff_epoch,
            config.source_contrast, [config.translation_device],
        )

    def to_segmenter_modality(self, images: list[np.ndarray], pixel_sizes_um: list[float | None]) -> list[np.ndarray]:
        """Translate every image (uint8, own size in and out) into the segmenter's modality."""
        config = self._translation_config
        engine = TiledTranslationEngine(self._translation.translate_fn, config.batch_size, config.seed)
        working = config.working_pixel_size_um
        tile = config.tile_size or self._translation.image_size
        overlap = tile // 4 if config.overlap is None else config.overlap
        tiles = (tile_image(image, tile, overlap,
                            size / working if size is not None and working is not None else config.scale_factor)
                 for image, size in zip(images, pixel_sizes_um))
        return list(engine.translate(tiles))

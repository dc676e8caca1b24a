"""An MLflow pyfunc model that segments images with trained nnU-Net folds and measures every axon.

The model folder travels as the run artifact ``nnunet_model`` (nnU-Net's own ``plans.json``,
``dataset.json`` and ``fold_<k>/checkpoint_*.pth``), so a loaded model needs no project data
folder. Its ``model_config`` (:class:`SegmenterConfig` fields) says which folds and checkpoint to
use. The packaged ``dataset.json`` records the pixel size the network was trained at; each image
is brought to it (anti-aliased), segmented, and its label map returned at the image's own size
(nearest), with morphometrics in micrometres (as :mod:`axondeepsynth.nnunet.prediction` does). An
image without a pixel size is refused by such a model; a model of unknown pixel size segments
images at their own size. Predict input and output: :mod:`.payload`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from mlflow.pyfunc import PythonModel

from axondeepsynth.evaluation.axondeepseg_format import axondeepseg_morphometrics
from axondeepsynth.evaluation.morphometrics import aggregate_g_ratio
from axondeepsynth.nnunet.environment import TRAINERS_DIR
from axondeepsynth.nnunet.prediction import PredictionSettings, load_segmenter
from axondeepsynth.serving.payload import (
    IMAGE_COLUMN,
    PIXEL_SIZE_COLUMN,
    PayloadError,
    decode_image,
    encode_png,
    pixel_size_of,
)

logger = logging.getLogger(__name__)

NNUNET_ARTIFACT = "nnunet_model"


@dataclass(frozen=True)
class SegmenterConfig:
    """The nnU-Net part of a served model's ``model_config``.

    Attributes:
        folds: folds whose weights are averaged (``["all"]``, ``[0, 1, 2, 3, 4]``...).
        use_best_checkpoint, use_mirroring, tile_step_size, device: see
            :class:`~axondeepsynth.nnunet.prediction.PredictionSettings`.
        min_axon_area_px: axon regions smaller than this are left out of the morphometrics.
    """

    folds: Sequence[int | str] = ("all",)
    use_best_checkpoint: bool = False
    use_mirroring: bool = True
    tile_step_size: float = 0.5
    device: str = "auto"
    min_axon_area_px: int = 4

    @classmethod
    def from_model_config(cls, config: dict[str, Any]) -> SegmenterConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in config.items() if key in known})

    def prediction_settings(self) -> PredictionSettings:
        return PredictionSettings(use_best_checkpoint=self.use_best_checkpoint, use_mirroring=self.use_mirroring,
                                  tile_step_size=self.tile_step_size, device=self.device)


def _find_our_trainers() -> None:
    """Let nnU-Net rebuild networks of our trainer classes (it looks them up by name)."""
    paths = [p for p in os.environ.get("nnUNet_extTrainer", "").split(os.pathsep) if p]
    if str(TRAINERS_DIR) not in paths:
        os.environ["nnUNet_extTrainer"] = os.pathsep.join([str(TRAINERS_DIR), *paths])


def result_row(labels: np.ndarray, pixel_size_um: float | None, min_axon_area_px: int) -> dict[str, Any]:
    """One output row: the label map as base64 PNG, AxonDeepSeg morphometrics as JSON, summaries."""
    table = axondeepseg_morphometrics(labels, pixel_size_um, min_axon_area_px)
    return {
        "labels_png": encode_png(labels),
        "morphometrics": table.to_json(orient="records"),
        "num_axons": len(table),
        "aggregate_gratio": aggregate_g_ratio(labels),
    }


class NnUNetSegmenterModel(PythonModel):
    """Segment grayscale images with nnU-Net; see the module docstring for config and artifacts."""

    def load_context(self, context: Any) -> None:
        self._config = SegmenterConfig.from_model_config(dict(context.model_config or {}))
        _find_our_trainers()
        self._segmenter = load_segmenter(context.artifacts[NNUNET_ARTIFACT], list(self._config.folds),
                                         self._config.prediction_settings())

    def to_segmenter_modality(self, images: list[np.ndarray], pixel_sizes_um: list[float | None]) -> list[np.ndarray]:
        """The images as the segmenter knows them; here unchanged (the adaptation model translates)."""
        return images

    def segment(self, image: np.ndarray, pixel_size_um: float | None, row: int) -> np.ndarray:
        """uint8 label map (0/1/2) of one image, at the image's size.

        Raises:
            UnknownPixelSizeError: the model knows its pixel size and the row gives none.
        """
        return self._segmenter.segment(image, f"row {row}", pixel_size_um, f"the '{PIXEL_SIZE_COLUMN}' column")

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
        if IMAGE_COLUMN not in model_input.columns:
            raise PayloadError(f"the input needs an '{IMAGE_COLUMN}' column (image path or base64 image file); "
                               f"got columns {list(model_input.columns)}.")
        images = [decode_image(value, row) for row, value in enumerate(model_input[IMAGE_COLUMN])]
        sizes = [pixel_size_of(model_input, row) for row in range(len(model_input))]
        prepared = self.to_segmenter_modality(images, sizes)
        rows = [result_row(self.segment(image, size, row), size, self._config.min_axon_area_px)
                for row, (image, size) in enumerate(zip(prepared, sizes))]
        logger.info("Segmented %d image(s).", len(rows))
        return pd.DataFrame(rows, columns=["labels_png", "morphometrics", "num_axons", "aggregate_gratio"])

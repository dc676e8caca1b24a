"""Segment images with trained nnU-Net folds (one fold or their ensemble), in this process.

``nnUNetPredictor.predict_from_files`` starts worker processes that die without a
``__main__`` guard in some callers (Kedro runners, notebooks); ``predict_single_npy_array``
preprocesses, predicts (sliding window, Gaussian weighting, test-time mirroring, fold
averaging) and resamples back in the calling process, so we use it one image at a time.

Like AxonDeepSeg, each image is brought to the pixel size the model was trained at before it is
segmented (anti-aliased resampling), and its label map is brought back to the image's own shape
(nearest neighbour): a model learns axons of a certain size in pixels, and an image at another
pixel size shows them at another size.

The resampling is physical within one modality only: an image of another modality than the
model's (the experiment's no-adaptation and adaptation arms) is taken to be at its modality's
working pixel size, which the experiment chooses so that fibres look alike in pixels in both
modalities, and is segmented as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from axondeepsynth.imaging.rescaling import rescale_image, resize_labels_to
from axondeepsynth.nnunet.device import resolve_device
from axondeepsynth.nnunet.raw_dataset import (
    PIXEL_SIZE_TOLERANCE,
    dataset_modality,
    dataset_pixel_size_um,
    read_dataset_json,
)
from axondeepsynth.nnunet.training import BEST_CHECKPOINT, FINAL_CHECKPOINT, parse_fold

logger = logging.getLogger(__name__)

# NaturalImage2DIO reads every 2-D image with this spacing; predictions must use the same.
NATURAL_IMAGE_SPACING = (999.0, 1.0, 1.0)


class FoldNotTrainedError(FileNotFoundError):
    """A fold asked for prediction has no checkpoint of the requested kind."""


class UnknownPixelSizeError(ValueError):
    """An image to segment has no known pixel size, but the model needs it to be resampled."""


@dataclass(frozen=True)
class PredictionSettings:
    """How nnU-Net predicts.

    Attributes:
        use_best_checkpoint: ``checkpoint_best.pth`` (best EMA pseudo Dice) instead of ``checkpoint_final.pth``.
        use_mirroring: test-time augmentation by flipping (4 passes in 2-D; slower, usually better).
        tile_step_size: sliding-window step as a fraction of the patch (0.5 = half-overlapping tiles).
        device: ``auto``, ``cpu`` or ``cuda``.
    """

    use_best_checkpoint: bool = False
    use_mirroring: bool = True
    tile_step_size: float = 0.5
    device: str = "auto"

    @property
    def checkpoint_name(self) -> str:
        return BEST_CHECKPOINT if self.use_best_checkpoint else FINAL_CHECKPOINT


def check_folds_trained(model_dir: Path | str, folds: Sequence[int | str], checkpoint_name: str) -> list[int | str]:
    """Parse ``folds`` and make sure each has ``checkpoint_name`` in ``model_dir/fold_<k>``.

    Raises:
        FoldNotTrainedError: naming the missing checkpoint and how to train it.
    """
    parsed = [parse_fold(f) for f in folds]
    if not parsed:
        raise ValueError("no fold to predict with; set segmentation.training.folds to at least one fold.")
    for fold in parsed:
        checkpoint = Path(model_dir) / f"fold_{fold}" / checkpoint_name
        if not checkpoint.is_file():
            raise FoldNotTrainedError(
                f"Fold {fold} was never trained (no '{checkpoint}'); train it with `kedro run --pipeline "
                "segmentation` including this fold, or remove it from segmentation.training.folds."
            )
    return parsed


def load_predictor(model_dir: Path | str, folds: Sequence[int | str], settings: PredictionSettings) -> Any:
    """An ``nnUNetPredictor`` holding the weights of ``folds`` (averaged at prediction time).

    nnU-Net's environment must be active (:func:`~axondeepsynth.nnunet.environment.activate_nnunet_environment`)
    so that our trainer classes are found when the network is rebuilt.
    """
    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor

    parsed = check_folds_trained(model_dir, folds, settings.checkpoint_name)
    predictor = nnUNetPredictor(
        tile_step_size=settings.tile_step_size, use_gaussian=True, use_mirroring=settings.use_mirroring,
        perform_everything_on_device=True, device=resolve_device(settings.device), verbose=False,
        verbose_preprocessing=False, allow_tqdm=False,
    )
    predictor.initialize_from_trained_model_folder(str(model_dir), parsed, checkpoint_name=settings.checkpoint_name)
    logger.info("Loaded %s of fold(s) %s from %s.", settings.checkpoint_name, parsed, model_dir)
    return predictor


def _model_dataset_json(model_dir: Path | str) -> dict[str, Any]:
    """nnU-Net's copy of the training dataset's ``dataset.json`` in the model's results folder (made
    when a fold starts training), ``{}`` when absent."""
    return read_dataset_json(model_dir) if (Path(model_dir) / "dataset.json").is_file() else {}


def model_pixel_size_um(model_dir: Path | str) -> float | None:
    """Pixel side (micrometres) the model in ``model_dir`` was trained at, ``None`` when unknown
    (our exports and tutorship datasets record it in their ``dataset.json``)."""
    return dataset_pixel_size_um(_model_dataset_json(model_dir))


def model_modality(model_dir: Path | str) -> str | None:
    """The modality the model in ``model_dir`` was trained on, ``None`` when not recorded."""
    return dataset_modality(_model_dataset_json(model_dir))


def prediction_scale_factor(image_name: str, image_pixel_size_um: float | None, model_pixel_size_um: float | None,
                            parameter: str, image_modality: str | None = None, model_modality: str | None = None,
                            ) -> float:
    """Size multiplier that brings an image to the model's pixel size (image size / model size).

    Args:
        image_name: names the image in errors.
        image_pixel_size_um: the image's pixel side in micrometres (sidecar, export record or the
            ``parameter`` default), ``None`` when unknown.
        model_pixel_size_um: from :func:`model_pixel_size_um`; ``None`` segments at the image's
            own size (a model trained on mixed or unknown pixel sizes).
        parameter: the parameter that gives a pixel size to images without one.
        image_modality, model_modality: when both are known and differ, 1.0: the image is at its
            modality's working pixel size, which stands for the model's (see the module notes).

    Raises:
        UnknownPixelSizeError: the model has a pixel size and the image has none.
    """
    if model_pixel_size_um is None:
        return 1.0
    if image_modality and model_modality and image_modality.lower() != model_modality.lower():
        return 1.0
    if image_pixel_size_um is None:
        raise UnknownPixelSizeError(
            f"'{image_name}' has no known pixel size, but the model was trained at {model_pixel_size_um:g} um/px "
            f"and each image is resampled to it; set {parameter} (micrometres per pixel) or give the image a "
            "BIDS sidecar with PixelSize."
        )
    factor = float(image_pixel_size_um) / float(model_pixel_size_um)
    return 1.0 if abs(factor - 1.0) <= PIXEL_SIZE_TOLERANCE else factor


def segment_image(predictor: Any, image: np.ndarray, scale_factor: float = 1.0) -> np.ndarray:
    """Segment one 2-D uint8 image at ``scale_factor`` times its size (see :func:`prediction_scale_factor`).

    Returns:
        A uint8 label map (0/1/2) of the image's own shape (predicted at the model's pixel size,
        then resized back by nearest neighbour).
    """
    if image.ndim != 2:
        raise ValueError(f"segment_image needs a 2-D grayscale image, got shape {image.shape}.")
    resampled = image if scale_factor == 1.0 else rescale_image(image, scale_factor)
    volume = resampled.astype(np.float32)[None, None]
    labels = np.asarray(predictor.predict_single_npy_array(volume, {"spacing": NATURAL_IMAGE_SPACING}))[0]
    return resize_labels_to(labels.astype(np.uint8), image.shape)


@dataclass(frozen=True)
class TrainedSegmenter:
    """A loaded predictor with the pixel size and modality its model was trained at: everything
    needed to segment an image at the model's pixel size (the segmentation arms, the faithfulness
    oracle).

    Attributes:
        predictor: from :func:`load_predictor`.
        pixel_size_um: :func:`model_pixel_size_um` of the model, ``None`` when unknown or mixed.
        modality: :func:`model_modality` of the model, ``None`` when not recorded.
    """

    predictor: Any
    pixel_size_um: float | None
    modality: str | None

    def segment(self, image: np.ndarray, image_name: str, image_pixel_size_um: float | None, parameter: str,
                image_modality: str | None = None) -> np.ndarray:
        """uint8 label map (0/1/2) of ``image`` at its own shape, predicted at the model's pixel size
        (arguments as for :func:`prediction_scale_factor`).

        Raises:
            UnknownPixelSizeError: the model has a pixel size, the image none (``parameter`` gives one).
        """
        factor = prediction_scale_factor(image_name, image_pixel_size_um, self.pixel_size_um, parameter,
                                         image_modality, self.modality)
        return segment_image(self.predictor, image, factor)


def load_segmenter(model_dir: Path | str, folds: Sequence[int | str], settings: PredictionSettings) -> TrainedSegmenter:
    """:func:`load_predictor` with the pixel size and modality the model in ``model_dir`` was trained at."""
    segmenter = TrainedSegmenter(load_predictor(model_dir, folds, settings), model_pixel_size_um(model_dir),
                                 model_modality(model_dir))
    logger.info("The model was trained on %s at %s um/px.", segmenter.modality or "an unrecorded modality",
                "an unknown or mixed pixel size" if segmenter.pixel_size_um is None else f"{segmenter.pixel_size_um:g}")
    return segmenter

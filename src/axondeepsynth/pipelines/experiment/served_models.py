"""Nodes of the experiment pipeline: the run's end products as MLflow models that segment new images.

Two models per experiment, logged through the catalog (``adaptation_model``, ``tutorship_model``:
:class:`~axondeepsynth.datasets.mlflow_served_model_dataset.MlflowServedModelDataset`):

- the adaptation path: target-modality images translated into the source modality by the
  trained SynDiff, then segmented by the source nnU-Net (the no-adaptation arm's model);
- the tutored nnU-Net alone, trained on source images translated into the target modality.

These nodes only describe what to log (:mod:`axondeepsynth.serving.model_logging` specs); the
dataset packages the weights and logs them into the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from axondeepsynth.artifacts.syndiff_model import TrainedSynDiff
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.segmentation import EvaluationParams, PredictionParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.serving.adaptation_model import TranslationConfig
from axondeepsynth.serving.model_logging import AdaptationSpec, SegmenterSpec
from axondeepsynth.serving.nnunet_segmenter_model import SegmenterConfig


def _trained_model(fold_models: Sequence[dict[str, Any]], arm: str) -> tuple[Path, list[int | str]]:
    """The nnU-Net model folder of an arm and its trained folds (skipped slots left out)."""
    trained = [model for model in fold_models if not model.get("skipped")]
    if not trained:
        raise ValueError(f"the {arm} arm trained no fold (segmentation.training.folds selects none); nothing to log.")
    return Path(trained[0]["model_dir"]), [model["fold"] for model in trained]


def _segmenter(prediction: PredictionParams, evaluation: EvaluationParams, folds: list[int | str]) -> SegmenterConfig:
    return SegmenterConfig(folds=tuple(prediction.folds or folds), use_best_checkpoint=prediction.use_best_checkpoint,
                           use_mirroring=prediction.use_mirroring, tile_step_size=prediction.tile_step_size,
                           device=prediction.device, min_axon_area_px=evaluation.min_axon_area_px)


def tutorship_model_spec(prediction: PredictionParams, evaluation: EvaluationParams, inputs: InputsParams,
                         *fold_models: dict[str, Any]) -> SegmenterSpec:
    """The tutored nnU-Net (catalog ``tutorship.nnunet_fold_*``) as a model of the target modality."""
    model_dir, folds = _trained_model(fold_models, "tutorship")
    return SegmenterSpec(model_dir, _segmenter(prediction, evaluation, folds),
                         {"arm": "tutorship", "modality": inputs.target.modality,
                          "trained_on": f"{inputs.source.modality} images translated to {inputs.target.modality}"})


def adaptation_model_spec(syndiff_model: TrainedSynDiff, translation: TranslationParams, prediction: PredictionParams,
                          evaluation: EvaluationParams, inputs: InputsParams,
                          *fold_models: dict[str, Any]) -> AdaptationSpec:
    """Target images -> SynDiff translation to the source modality -> the source nnU-Net
    (catalog ``source_model.nnunet_fold_*``), with the adaptation arm's translation settings.

    The experiment's target images were exported at the working pixel size; a new image comes at
    its own, so the model brings every image of known pixel size to ``inputs.working_pixel_size_um``
    before translating (``translation.scale_factor`` when it is a number serves images without one).
    """
    model_dir, folds = _trained_model(fold_models, "source_model")
    config = TranslationConfig(
        syndiff_experiment=syndiff_model.experiment.name, syndiff_epoch=translation.which_epoch,
        source_contrast=syndiff_model.contrasts[1], tile_size=translation.tile_size, overlap=translation.overlap,
        working_pixel_size_um=inputs.working_pixel_size_um,
        scale_factor=1.0 if translation.scale_factor == "auto" else float(translation.scale_factor),
        batch_size=translation.batch_size,
        seed=translation.seed, translation_device=translation.device,
    )
    return AdaptationSpec(model_dir, _segmenter(prediction, evaluation, folds), syndiff_model.experiment.store, config,
                          {"arm": "adaptation", "modality": syndiff_model.contrasts[1],
                           "segmenter_modality": syndiff_model.contrasts[0]})

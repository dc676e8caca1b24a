"""Wiring of the baseline arms: what a lab could try before spending GPU-days on SynDiff.

- ``histogram_matching``: the target's held-out images matched to the source histogram, then the
  source model (inference only, like adaptation);
- ``augmentation``: nnU-Net trained on the source labels with DA5's heavy augmentation
  (``segmentation.training`` with ``baselines.augmentation_trainer``), applied to the raw target images;
- ``non_diffusive_adaptation`` / ``non_diffusive_tutorship``: the adaptation and tutorship arms
  with SynDiff's one-pass ResNet generators instead of the diffusive ones.

Every arm is a namespace reading the shared entries and parameter blocks; its translations,
fold records, masks and metrics come from the catalog's ``{arm}.*`` factories (the non-diffusive
tutorship dataset has its own nnU-Net id: ``non_diffusive_tutorship.nnunet_raw``).
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.baselines.nodes import augmentation_training, match_target_histograms
from axondeepsynth.pipelines.segmentation.pipeline import adaptation_inference, segmentation_arm
from axondeepsynth.pipelines.translation.pipeline import adaptation_translation, tutorship_translation
from axondeepsynth.translation.non_diffusive_translation import load_non_diffusive_translation

BASELINE_ARMS = ("histogram_matching", "augmentation", "non_diffusive_adaptation", "non_diffusive_tutorship")

SOURCE_MODEL = {"nnunet_plan": "source_model.nnunet_plan",
                **{f"nnunet_fold_{slot}": f"source_model.nnunet_fold_{slot}" for slot in FOLD_SLOTS}}
"""The source model's plan and folds: the model the adapted arms segment with."""

SHARED = {"source_nnunet_raw", "target_nnunet_raw", "syndiff_model", "tiles_to_translate"}


def _arm(pipe: Pipeline, arm: str, extra: dict[str, str] | None = None) -> Pipeline:
    inputs = {name: name for name in SHARED & pipe.inputs()}
    return as_arm(pipe, arm, {**inputs, **(extra or {})})


def _adapted(translate: Pipeline, arm: str) -> Pipeline:
    """``translate`` writes ``translated_images``; the source model segments them against the target's labels."""
    return _arm(translate + adaptation_inference(), arm, {"test_images": "target_nnunet_raw", **SOURCE_MODEL})


def histogram_matching_arm() -> Pipeline:
    """Source-histogram-matched target images, segmented by the source model."""
    match = Pipeline([Node(match_target_histograms, ["source_nnunet_raw", "target_nnunet_raw", "params:translation"],
                           "translated_images", name="match_histograms")])
    return _adapted(match, "histogram_matching")


def augmentation_arm() -> Pipeline:
    """The segmentation building block on the source dataset, trained with the augmentation trainer."""
    training = Pipeline([Node(augmentation_training, ["params:segmentation.training", "params:baselines"],
                              "training", name="augmentation_training")])
    return _arm(training + segmentation_arm(training="training"), "augmentation",
                {"nnunet_raw": "source_nnunet_raw", "test_images": "target_nnunet_raw"})


def non_diffusive_adaptation_arm() -> Pipeline:
    """Adaptation with SynDiff's ResNet generator, segmented by the source model."""
    return _adapted(adaptation_translation(load_non_diffusive_translation), "non_diffusive_adaptation")


def non_diffusive_tutorship_arm() -> Pipeline:
    """Tutorship with SynDiff's ResNet generator: its own nnU-Net dataset and training."""
    tutorship = tutorship_translation(load_non_diffusive_translation) + segmentation_arm()
    return _arm(tutorship, "non_diffusive_tutorship", {"test_images": "target_nnunet_raw"})


def create_pipeline(**kwargs) -> Pipeline:
    """The four baseline arms, each scored on the target's held-out images."""
    return (histogram_matching_arm() + augmentation_arm() + non_diffusive_adaptation_arm()
            + non_diffusive_tutorship_arm())

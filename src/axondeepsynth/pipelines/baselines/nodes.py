"""Nodes of the baseline arms that are not a pipeline's own nodes with other inputs.

``histogram_matching`` is the afternoon baseline of adaptation: the target's held-out images get
the pooled grey-level histogram of the source's training images
(:mod:`~axondeepsynth.translation.histogram_matching`), then the source model segments them. The
``non_diffusive`` arms reuse the translation nodes with SynDiff's ResNet generators
(:func:`~axondeepsynth.translation.non_diffusive_translation.load_non_diffusive_translation`), and
the ``augmentation`` arm is the segmentation building block trained with
``segmentation.training`` and ``baselines.augmentation_trainer`` (:func:`augmentation_training`).
"""

from __future__ import annotations

import logging

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.artifacts.translated_images import TranslatedImages
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.parameters.baselines import BaselinesParams
from axondeepsynth.parameters.segmentation import TrainingParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.translation.histogram_matching import intensity_reference, matched_cases
from axondeepsynth.translation.tiled_translation import TranslationStats

logger = logging.getLogger(__name__)


def _modality(dataset: NnUNetRawHandle) -> str:
    """The modality the export recorded in ``dataset.json`` (the dataset's name if none)."""
    return str(dataset.dataset_json.get("axondeepsynth", {}).get("modality") or dataset.name)


def match_target_histograms(source: NnUNetRawHandle, target: NnUNetRawHandle,
                            params: TranslationParams) -> TranslatedImages:
    """The target's ``imagesTs`` matched to the pooled histogram of the source's ``imagesTr`` (lazy).

    Args:
        source: catalog ``source_nnunet_raw`` (its training images make the reference).
        target: catalog ``target_nnunet_raw`` (its held-out images are matched).
        params: ``translation`` (only ``overwrite`` is read: the output is replaced like a translation's).

    Returns:
        An adaptation-shaped output (``{arm}.translated_images``); its stats count the images and
        the seconds spent matching them (the arm's cost).
    """
    reference = intensity_reference(read_grayscale(record.path) for record in discover_images(source.path / "imagesTr"))
    records = discover_images(target.test_images_dir)
    logger.info("Histogram matching %d target image(s) to the pooled histogram of %d source image(s).",
                len(records), reference.images)
    stats = TranslationStats()
    return TranslatedImages(matched_cases(records, reference, stats), len(records), "adaptation",
                            _modality(target), _modality(source), stats, params.overwrite)


def augmentation_training(training: TrainingParams, baselines: BaselinesParams) -> TrainingParams:
    """``segmentation.training`` with the augmentation arm's trainer (everything else shared)."""
    return training.model_copy(update={"trainer": baselines.augmentation_trainer})

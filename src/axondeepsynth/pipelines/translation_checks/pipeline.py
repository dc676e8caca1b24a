"""Wiring of the translation checks: trust maps of the adaptation arm, KID of every translating arm.

The trust map needs SynDiff's noise (the diffusive arm ``adaptation``); its AUC is scored against
that arm's segmentation of its translations. KID compares each translating arm's outputs with
the real training images of the modality they imitate: the source's for the adapted arms, the
target's for the tutorship arms, through the source model's encoder.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.translation_checks.nodes import compute_trust_maps, measure_kid, score_trust_maps

SOURCE_FOLDS = tuple(f"source_model.nnunet_fold_{slot}" for slot in FOLD_SLOTS)

KID_ARMS = {
    "adaptation": ("adaptation.translated_images", "source_nnunet_raw"),
    "tutorship": ("tutorship.nnunet_raw", "target_nnunet_raw"),
    "histogram_matching": ("histogram_matching.translated_images", "source_nnunet_raw"),
    "non_diffusive_adaptation": ("non_diffusive_adaptation.translated_images", "source_nnunet_raw"),
    "non_diffusive_tutorship": ("non_diffusive_tutorship.nnunet_raw", "target_nnunet_raw"),
}
"""Translating arm -> (its translations, the real images they imitate)."""


def trust_map_arm() -> Pipeline:
    """Free inputs ``translated_images``, ``segmentation_masks``, ``segmentation_cases`` of the arm."""
    return Pipeline([
        Node(compute_trust_maps, ["syndiff_model", "target_nnunet_raw", "translated_images", "params:translation",
                                  "params:translation_checks", "params:inputs.working_pixel_size_um"],
             ["trust_maps", "trust_flags"], name="compute_trust_maps"),
        Node(score_trust_maps, ["trust_maps", "trust_flags", "segmentation_masks", "segmentation_cases",
                                "translated_images", "params:segmentation.evaluation", "params:translation_checks"],
             ["trust_summary", "trust_figure"], name="score_trust_maps"),
    ])


def kid_arm(arm: str) -> Pipeline:
    """KID of ``arm``'s translations -> ``<arm>.kid``."""
    translated, real = KID_ARMS[arm]
    node = Node(measure_kid, ["translated", "real", "source_plan", "params:segmentation.nnunet",
                              "params:segmentation.prediction", "params:translation_checks", *SOURCE_FOLDS],
                "kid", name="measure_kid")
    return as_arm(Pipeline([node]), arm, {"translated": translated, "real": real,
                                          "source_plan": "source_model.nnunet_plan",
                                          **{fold: fold for fold in SOURCE_FOLDS}})


def trust_pipeline() -> Pipeline:
    """Trust maps of the adaptation arm and their AUC against its segmentation."""
    return as_arm(trust_map_arm(), "adaptation", {"syndiff_model": "syndiff_model",
                                                   "target_nnunet_raw": "target_nnunet_raw"})


def create_pipeline(**kwargs) -> Pipeline:
    return sum((kid_arm(arm) for arm in KID_ARMS), trust_pipeline())

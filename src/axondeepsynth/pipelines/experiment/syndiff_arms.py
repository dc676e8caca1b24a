"""The experiment's arms that depend on the SynDiff run, from ``syndiff_model`` to per-image metrics.

The main run wires them once; each replicate seed slot wires them again under its namespace
(:mod:`.seed_replicates`), so that the spread over SynDiff seeds is measured on the same arms.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline

from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.baselines.pipeline import SOURCE_MODEL, non_diffusive_adaptation_arm
from axondeepsynth.pipelines.segmentation.pipeline import adaptation_inference, segmentation_arm
from axondeepsynth.pipelines.translation.pipeline import create_pipeline as translation

REPLICATED_ARMS: tuple[str, ...] = ("adaptation", "tutorship", "non_diffusive_adaptation")
"""The arms whose result depends on the SynDiff run (the namespace is the report's arm name)."""


def tutorship_segmentation() -> Pipeline:
    """nnU-Net trained on the tutorship dataset, scored on the target's held-out images."""
    return as_arm(segmentation_arm(), "tutorship", {"nnunet_raw": "tutorship.nnunet_raw",
                                                    "test_images": "target_nnunet_raw"})


def adaptation_segmentation() -> Pipeline:
    """The source model segments the adapted target images, scored against their labels."""
    return as_arm(adaptation_inference(), "adaptation", {"translated_images": "adaptation.translated_images",
                                                         "test_images": "target_nnunet_raw", **SOURCE_MODEL})


def syndiff_arms() -> Pipeline:
    """Translation, tutorship, adaptation and non-diffusive adaptation up to each arm's per-image metrics."""
    arms = translation() + tutorship_segmentation() + adaptation_segmentation() + non_diffusive_adaptation_arm()
    return arms.to_outputs(*(f"{arm}.segmentation_metrics" for arm in REPLICATED_ARMS))

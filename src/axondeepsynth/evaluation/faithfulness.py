"""Faithfulness of one translation: do the labels it carries still describe the translated image?

Tutorship trains a segmenter on translated images paired with the *source* labels. When the
translation invents, erases, moves or reshapes a fibre, those labels are wrong. An oracle (a
segmentation model trained on real labels of the target modality) segments the translated image;
its prediction is compared with the carried labels exactly the way a segmentation is compared
with a reference (:func:`~axondeepsynth.evaluation.morphometric_comparison.compare_segmentations`),
with the carried labels as reference, and the figures are named for this question: fibres the
translation invented (predicted axons with no carried match) and lost (carried axons with no
predicted match).
"""

from __future__ import annotations

import math

import numpy as np

from axondeepsynth.evaluation.morphometric_comparison import compare_segmentations

FAITHFULNESS_COLUMNS = (
    "dice_myelin", "dice_axon", "iou_myelin", "iou_axon", "axon_precision", "axon_recall",
    "num_axons_carried", "num_axons_predicted", "fibres_matched", "fibres_invented", "fibres_lost",
    "g_ratio_mae", "axon_diameter_mae", "myelin_thickness_mae", "aggregate_g_ratio_error",
)


def _matched_count(recall: float, num_carried: float) -> int:
    """Matched fibres from recall = matched / carried (exact: the ratio of two small integers)."""
    return 0 if num_carried == 0 or math.isnan(recall) else round(recall * num_carried)


def faithfulness_of_image(carried_labels: np.ndarray, oracle_prediction: np.ndarray,
                          pixel_size_um: float | None = None, min_iou: float = 0.5,
                          min_axon_area_px: int = 1) -> dict[str, float]:
    """How well the oracle's segmentation of a translated image agrees with the labels it carries.

    Args:
        carried_labels: the label map the translated dataset carries (0 background, 1 myelin,
            2 axon), i.e. the source image's labels.
        oracle_prediction: the oracle model's label map of the translated image, same shape.
        pixel_size_um: pixel side in micrometres; ``None`` gives diameters in pixels.
        min_iou: intersection over union for a carried and a predicted axon to be the same fibre.
        min_axon_area_px: axon regions smaller than this (pixels) are ignored in both maps.

    Returns:
        The keys of :data:`FAITHFULNESS_COLUMNS`: Dice/IoU per class, axon detection precision
        and recall, fibre counts (carried, predicted, matched, invented, lost), mean absolute
        g-ratio, axon diameter and myelin thickness errors over matched fibres (micrometres, or
        pixels without pixel size; NaN without matches) and the whole-image aggregate g-ratio
        error (prediction minus carried). Rates are NaN where undefined (no axon on either side).
    """
    if carried_labels.shape != oracle_prediction.shape:
        raise ValueError(
            f"carried labels have shape {carried_labels.shape} but the oracle prediction has "
            f"{oracle_prediction.shape}; the translation must keep the source image's size."
        )
    comparison = compare_segmentations(carried_labels, oracle_prediction, pixel_size_um, min_iou, min_axon_area_px)
    carried = comparison["num_axons_reference"]
    predicted = comparison["num_axons_predicted"]
    matched = _matched_count(comparison["axon_sensitivity"], carried)
    return {
        "dice_myelin": comparison["dice_myelin"],
        "dice_axon": comparison["dice_axon"],
        "iou_myelin": comparison["iou_myelin"],
        "iou_axon": comparison["iou_axon"],
        "axon_precision": comparison["axon_precision"],
        "axon_recall": comparison["axon_sensitivity"],
        "num_axons_carried": carried,
        "num_axons_predicted": predicted,
        "fibres_matched": float(matched),
        "fibres_invented": predicted - matched,
        "fibres_lost": carried - matched,
        "g_ratio_mae": comparison["g_ratio_mae"],
        "axon_diameter_mae": comparison["axon_diameter_mae"],
        "myelin_thickness_mae": comparison["myelin_thickness_mae"],
        "aggregate_g_ratio_error": comparison["aggregate_g_ratio_error"],
    }

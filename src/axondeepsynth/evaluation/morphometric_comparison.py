"""Compare a predicted segmentation with a reference one the way a reader of the morphometrics would.

Pixel overlap (Dice, IoU), axon detection (sensitivity, precision by one-to-one IoU matching)
and morphometric agreement: the mean absolute difference of g-ratio, axon diameter and myelin
thickness over matched axons, and the differences of whole-image aggregates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from axondeepsynth.evaluation.axon_objects import label_axons, match_axons
from axondeepsynth.evaluation.morphometrics import aggregate_g_ratio, axon_density_per_mm2, axon_morphometrics
from axondeepsynth.evaluation.overlap import overlap_metrics


def _matched_errors(reference: pd.DataFrame, predicted: pd.DataFrame,
                    pairs: list[tuple[int, int, float]]) -> dict[str, float]:
    columns = ("g_ratio", "axon_diameter", "myelin_thickness")
    if not pairs:
        return {f"{column}_mae": float("nan") for column in columns}
    ref = reference.set_index("axon_id").loc[[p[0] for p in pairs]]
    pred = predicted.set_index("axon_id").loc[[p[1] for p in pairs]]
    return {f"{column}_mae": float(np.mean(np.abs(ref[column].to_numpy() - pred[column].to_numpy())))
            for column in columns}


def compare_segmentations(reference: np.ndarray, prediction: np.ndarray, pixel_size_um: float | None = None,
                          min_iou: float = 0.5, min_axon_area_px: int = 1) -> dict[str, float]:
    """All comparison figures of one image as a flat dict of floats.

    Keys: ``dice_myelin``, ``iou_myelin``, ``dice_axon``, ``iou_axon``, ``num_axons_reference``,
    ``num_axons_predicted``, ``axon_sensitivity``, ``axon_precision``, ``g_ratio_mae``,
    ``axon_diameter_mae``, ``myelin_thickness_mae`` (matched axons; micrometres or pixels),
    ``aggregate_g_ratio_reference``, ``aggregate_g_ratio_predicted``, ``aggregate_g_ratio_error``,
    ``axon_density_error_per_mm2`` (NaN without pixel size).
    """
    ref_axons = label_axons(reference, min_axon_area_px)
    pred_axons = label_axons(prediction, min_axon_area_px)
    matches = match_axons(ref_axons, pred_axons, min_iou)
    ref_table = axon_morphometrics(reference, pixel_size_um, axons=ref_axons)
    pred_table = axon_morphometrics(prediction, pixel_size_um, axons=pred_axons)
    ref_aggregate, pred_aggregate = aggregate_g_ratio(reference), aggregate_g_ratio(prediction)
    return {
        **overlap_metrics(reference, prediction),
        "num_axons_reference": float(matches.num_reference),
        "num_axons_predicted": float(matches.num_predicted),
        "axon_sensitivity": matches.sensitivity,
        "axon_precision": matches.precision,
        **_matched_errors(ref_table, pred_table, matches.pairs),
        "aggregate_g_ratio_reference": ref_aggregate,
        "aggregate_g_ratio_predicted": pred_aggregate,
        "aggregate_g_ratio_error": pred_aggregate - ref_aggregate,
        "axon_density_error_per_mm2": (axon_density_per_mm2(matches.num_predicted, reference.shape, pixel_size_um)
                                       - axon_density_per_mm2(matches.num_reference, reference.shape, pixel_size_um)),
    }

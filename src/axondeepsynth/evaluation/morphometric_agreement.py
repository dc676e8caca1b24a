"""Would a segmenter change a scientist's g-ratio conclusions? Per-arm morphometric agreement.

For one arm (a set of predicted label maps with their ground truth) this collects what a reader
of the morphometrics compares:

- the per-axon distributions of g-ratio and axon diameter, predicted vs reference (all axons of
  each map, as AxonDeepSeg would list them);
- the same quantities on matched fibres (one-to-one axon matching by IoU), for Bland-Altman
  agreement: bias (mean predicted - reference) and 95 % limits of agreement (bias ± 1.96 SD);
- the aggregate g-ratio of each image (sqrt of axon area over fibre area) and its error.

Diameters are in micrometres when every image's pixel size is known, pixels otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from axondeepsynth.evaluation.axon_objects import label_axons, match_axons
from axondeepsynth.evaluation.morphometrics import aggregate_g_ratio, axon_morphometrics

QUANTITIES = ("g_ratio", "axon_diameter")
MATCHED_COLUMNS = ["image", *(f"{q}_{side}" for side in ("reference", "predicted") for q in QUANTITIES)]


@dataclass(frozen=True)
class ArmMorphometrics:
    """Morphometrics of one arm against the ground truth.

    Attributes:
        reference, predicted: one row per axon (``image`` + the columns of
            :func:`~axondeepsynth.evaluation.morphometrics.axon_morphometrics`).
        matched: one row per matched fibre: ``image``, ``<quantity>_reference``, ``<quantity>_predicted``.
        per_image: ``image``, ``aggregate_g_ratio_reference``, ``aggregate_g_ratio_predicted``,
            ``aggregate_g_ratio_error`` (predicted - reference).
        unit: ``um`` or ``px`` for diameters.
    """

    reference: pd.DataFrame
    predicted: pd.DataFrame
    matched: pd.DataFrame
    per_image: pd.DataFrame
    unit: str


def _matched_rows(name: str, reference: pd.DataFrame, predicted: pd.DataFrame,
                  pairs: list[tuple[int, int, float]]) -> pd.DataFrame:
    ref = reference.set_index("axon_id").loc[[p[0] for p in pairs], list(QUANTITIES)]
    pred = predicted.set_index("axon_id").loc[[p[1] for p in pairs], list(QUANTITIES)]
    columns = {f"{q}_reference": ref[q].to_numpy() for q in QUANTITIES}
    columns.update({f"{q}_predicted": pred[q].to_numpy() for q in QUANTITIES})
    return pd.DataFrame({"image": [name] * len(pairs), **columns}, columns=MATCHED_COLUMNS)


def arm_morphometrics(references: Mapping[str, np.ndarray], predictions: Mapping[str, np.ndarray],
                      pixel_sizes_um: Mapping[str, float | None], min_iou: float = 0.5,
                      min_axon_area_px: int = 1) -> ArmMorphometrics:
    """Measure every image of an arm that has a reference (names missing from ``references`` are skipped).

    Args:
        references, predictions: label maps (0/1/2) by image name, each pair of the same shape.
        pixel_sizes_um: pixel side of each image (µm), ``None`` when unknown.
        min_iou: IoU for two axons to be the same fibre.
        min_axon_area_px: smaller axon regions are ignored.
    """
    names = [name for name in sorted(predictions) if name in references]
    known = all(pixel_sizes_um.get(name) is not None for name in names)
    tables: dict[str, list[pd.DataFrame]] = {"reference": [], "predicted": [], "matched": []}
    per_image = []
    for name in names:
        size = pixel_sizes_um.get(name) if known else None
        ref_axons = label_axons(references[name], min_axon_area_px)
        pred_axons = label_axons(predictions[name], min_axon_area_px)
        ref_table = axon_morphometrics(references[name], size, axons=ref_axons)
        pred_table = axon_morphometrics(predictions[name], size, axons=pred_axons)
        pairs = match_axons(ref_axons, pred_axons, min_iou).pairs
        tables["reference"].append(ref_table.assign(image=name))
        tables["predicted"].append(pred_table.assign(image=name))
        tables["matched"].append(_matched_rows(name, ref_table, pred_table, pairs))
        ref_g, pred_g = aggregate_g_ratio(references[name]), aggregate_g_ratio(predictions[name])
        per_image.append({"image": name, "aggregate_g_ratio_reference": ref_g,
                          "aggregate_g_ratio_predicted": pred_g, "aggregate_g_ratio_error": pred_g - ref_g})
    return ArmMorphometrics(
        reference=pd.concat(tables["reference"], ignore_index=True) if names else pd.DataFrame(),
        predicted=pd.concat(tables["predicted"], ignore_index=True) if names else pd.DataFrame(),
        matched=pd.concat(tables["matched"], ignore_index=True) if names else pd.DataFrame(columns=MATCHED_COLUMNS),
        per_image=pd.DataFrame(per_image, columns=["image", "aggregate_g_ratio_reference",
                                                   "aggregate_g_ratio_predicted", "aggregate_g_ratio_error"]),
        unit="um" if known else "px",
    )


def bland_altman(reference: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Bias (mean of predicted - reference) and the 95 % limits of agreement (bias ± 1.96 SD).

    NaN without pairs; the limits are NaN with a single pair (no spread to estimate).
    """
    differences = np.asarray(predicted, dtype=float) - np.asarray(reference, dtype=float)
    if differences.size == 0:
        return {"bias": float("nan"), "lower": float("nan"), "upper": float("nan")}
    bias = float(differences.mean())
    spread = 1.96 * float(differences.std(ddof=1)) if differences.size > 1 else float("nan")
    return {"bias": bias, "lower": bias - spread, "upper": bias + spread}


def _distribution_shift(reference: pd.Series, predicted: pd.Series) -> float:
    """Kolmogorov-Smirnov statistic between two samples (0 identical, 1 disjoint; NaN if one is empty)."""
    reference, predicted = reference.dropna(), predicted.dropna()
    if reference.empty or predicted.empty:
        return float("nan")
    return float(ks_2samp(reference.to_numpy(), predicted.to_numpy()).statistic)


def agreement_summary(arm: ArmMorphometrics) -> dict[str, float]:
    """One report row: matched fibres, Bland-Altman bias and limits of g-ratio and axon diameter,
    the KS distance between the predicted and reference distributions, mean reference and
    predicted per-axon values, and the mean absolute error of the per-image aggregate g-ratio."""
    row: dict[str, float] = {"matched_fibres": float(len(arm.matched))}
    for quantity in QUANTITIES:
        agreement = bland_altman(arm.matched[f"{quantity}_reference"], arm.matched[f"{quantity}_predicted"])
        row.update({f"{quantity}_{key}": value for key, value in agreement.items()})
        reference = arm.reference.get(quantity, pd.Series(dtype=float))
        predicted = arm.predicted.get(quantity, pd.Series(dtype=float))
        row[f"{quantity}_mean_reference"] = float(reference.mean()) if len(reference) else math.nan
        row[f"{quantity}_mean_predicted"] = float(predicted.mean()) if len(predicted) else math.nan
        row[f"{quantity}_ks"] = _distribution_shift(reference, predicted)
    errors = arm.per_image["aggregate_g_ratio_error"].dropna()
    row["aggregate_g_ratio_mae"] = float(errors.abs().mean()) if len(errors) else math.nan
    return row


def agreement_table(arms: Mapping[str, ArmMorphometrics]) -> pd.DataFrame:
    """:func:`agreement_summary` of each arm, one row per arm (index ``arm``)."""
    return pd.DataFrame({name: agreement_summary(arm) for name, arm in arms.items()}).T.rename_axis("arm")

"""Axons as objects: connected axon regions, and one-to-one matching between two label maps.

Detection quality counts axons, not pixels: a reference axon is found when one predicted axon
overlaps it with an intersection over union of at least ``min_iou`` (0.5 by default, the usual
instance-segmentation criterion; above 0.5 a match is necessarily unique).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.measure import label
from skimage.metrics import contingency_table

from axondeepsynth.imaging.label_values import AXON


def label_axons(labels: np.ndarray, min_area_px: int = 1) -> np.ndarray:
    """Number each 4-connected axon region (label 2) 1..N; regions under ``min_area_px`` pixels are dropped."""
    axons = label(labels == AXON, connectivity=1)
    if min_area_px > 1:
        areas = np.bincount(axons.ravel())
        small = np.flatnonzero(areas < min_area_px)
        axons[np.isin(axons, small[small > 0])] = 0
        axons = label(axons > 0, connectivity=1)
    return axons


@dataclass(frozen=True)
class AxonMatches:
    """One-to-one pairs of reference and predicted axons.

    Attributes:
        pairs: (reference id, predicted id, IoU) for each matched axon.
        num_reference, num_predicted: axons in each map.
    """

    pairs: list[tuple[int, int, float]]
    num_reference: int
    num_predicted: int

    @property
    def sensitivity(self) -> float:
        """Share of reference axons found (NaN when the reference has none)."""
        return len(self.pairs) / self.num_reference if self.num_reference else float("nan")

    @property
    def precision(self) -> float:
        """Share of predicted axons that are real (NaN when nothing was predicted)."""
        return len(self.pairs) / self.num_predicted if self.num_predicted else float("nan")


def match_axons(reference_axons: np.ndarray, predicted_axons: np.ndarray, min_iou: float = 0.5) -> AxonMatches:
    """Match numbered axon maps (from :func:`label_axons`) greedily by decreasing IoU, one to one."""
    if reference_axons.shape != predicted_axons.shape:
        raise ValueError(f"axon maps differ in shape: {reference_axons.shape} vs {predicted_axons.shape}.")
    overlaps = contingency_table(reference_axons, predicted_axons).tocoo()
    reference_areas = np.bincount(reference_axons.ravel())
    predicted_areas = np.bincount(predicted_axons.ravel())
    candidates = []
    for ref, pred, intersection in zip(overlaps.row, overlaps.col, overlaps.data):
        if ref == 0 or pred == 0:
            continue
        iou = intersection / (reference_areas[ref] + predicted_areas[pred] - intersection)
        if iou >= min_iou:
            candidates.append((float(iou), int(ref), int(pred)))
    used_ref: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for iou, ref, pred in sorted(candidates, reverse=True):
        if ref not in used_ref and pred not in used_pred:
            used_ref.add(ref)
            used_pred.add(pred)
            pairs.append((ref, pred, iou))
    return AxonMatches(sorted(pairs), int(reference_axons.max()), int(predicted_axons.max()))

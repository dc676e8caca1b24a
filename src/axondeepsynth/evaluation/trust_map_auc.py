"""Does the trust map predict the fibres a translation invents or loses? ROC AUC against the oracle.

On phantoms an oracle exists (:mod:`~axondeepsynth.evaluation.faithfulness`): a segmentation of
the translated image compared with the labels it carries names every fibre the translation
invented (an oracle axon with no carried match) or lost (a carried axon with no oracle match).
Each such fibre is a *positive*; every matched carried fibre a *negative*. A fibre's score is the
mean of a trust map (spread or cycle error) over its axon pixels. The area under the ROC curve
(scikit-learn's :func:`~sklearn.metrics.roc_auc_score`) is then the probability that a random
unfaithful fibre scores higher than a random faithful one: 0.5 means the map predicts nothing,
1.0 that it ranks every unfaithful fibre first. It is NaN when either class is empty.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage
from sklearn.metrics import roc_auc_score

from axondeepsynth.evaluation.axon_objects import label_axons, match_axons


@dataclass
class FibreTrustScores:
    """Per-fibre trust scores and whether the oracle finds the fibre unfaithful, pooled over images.

    Attributes:
        scores: mean trust-map value over each fibre's axon pixels (the map's unit).
        unfaithful: True for an invented or lost fibre, False for a matched one.
    """

    scores: list[float] = field(default_factory=list)
    unfaithful: list[bool] = field(default_factory=list)

    def extend(self, other: FibreTrustScores) -> None:
        """Pool ``other``'s fibres into these."""
        self.scores.extend(other.scores)
        self.unfaithful.extend(other.unfaithful)

    @property
    def counts(self) -> tuple[int, int]:
        """(unfaithful fibres, faithful fibres)."""
        positives = int(sum(self.unfaithful))
        return positives, len(self.unfaithful) - positives

    def auc(self) -> float:
        """ROC AUC of the scores against unfaithfulness; NaN without both classes."""
        positives, negatives = self.counts
        if positives == 0 or negatives == 0:
            return math.nan
        return float(roc_auc_score(np.asarray(self.unfaithful), np.asarray(self.scores)))


def _region_means(values: np.ndarray, regions: np.ndarray, ids: Iterable[int]) -> list[float]:
    ids = list(ids)
    if not ids:
        return []
    return [float(v) for v in ndimage.mean(values, labels=regions, index=ids)]


def fibre_trust_scores(carried_labels: np.ndarray, oracle_prediction: np.ndarray, trust: np.ndarray,
                       min_iou: float = 0.5, min_axon_area_px: int = 1) -> FibreTrustScores:
    """Score every carried and every invented fibre of one image with the mean of ``trust``.

    Args:
        carried_labels, oracle_prediction: 0/1/2 label maps of the same shape, as in
            :func:`~axondeepsynth.evaluation.faithfulness.faithfulness_of_image`.
        trust: a trust map of that shape (e.g. spread or cycle error, grey levels).
        min_iou, min_axon_area_px: fibre matching as in the faithfulness score.
    """
    if not carried_labels.shape == oracle_prediction.shape == trust.shape:
        raise ValueError(f"carried labels {carried_labels.shape}, oracle prediction {oracle_prediction.shape} "
                         f"and trust map {trust.shape} must have the same shape.")
    carried = label_axons(carried_labels, min_axon_area_px)
    predicted = label_axons(oracle_prediction, min_axon_area_px)
    matches = match_axons(carried, predicted, min_iou)
    matched_carried = {ref for ref, _, _ in matches.pairs}
    matched_predicted = {pred for _, pred, _ in matches.pairs}
    carried_ids = range(1, matches.num_reference + 1)
    invented_ids = [pred for pred in range(1, matches.num_predicted + 1) if pred not in matched_predicted]
    values = trust.astype(np.float64)
    return FibreTrustScores(
        scores=_region_means(values, carried, carried_ids) + _region_means(values, predicted, invented_ids),
        unfaithful=[ref not in matched_carried for ref in carried_ids] + [True] * len(invented_ids),
    )

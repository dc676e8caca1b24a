"""Per-fibre trust scores and their ROC AUC on phantom label maps with fibres removed and added."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.evaluation.axon_objects import label_axons
from axondeepsynth.evaluation.trust_map_auc import FibreTrustScores, fibre_trust_scores
from axondeepsynth.imaging.image_io import read_label_map


@pytest.fixture(scope="module")
def phantom_labels(phantom_root: Path) -> list[np.ndarray]:
    paths = sorted((phantom_root / "nnunet" / "Dataset502_PHANTOM_TEM" / "labelsTr").glob("*.png"))
    return [read_label_map(path) for path in paths[:2]]


@pytest.fixture(scope="module")
def unfaithful_translation(phantom_labels):
    """(carried labels, oracle prediction, mask of the lost and invented fibres' axons)."""
    carried, other = phantom_labels
    axons = label_axons(carried)
    lost = np.isin(axons, [1, 2, 3])
    oracle = carried.copy()
    oracle[lost] = 0  # three axons erased
    other_axons = label_axons(other)
    free = [i for i in range(1, other_axons.max() + 1) if not (carried[other_axons == i] > 0).any()][:2]
    invented = np.isin(other_axons, free)
    oracle[invented] = 2  # two axons of another phantom pasted where the carried map is background
    assert lost.any() and invented.any()
    return carried, oracle, lost | invented


def test_a_map_high_on_unfaithful_fibres_scores_one(unfaithful_translation) -> None:
    carried, oracle, unfaithful = unfaithful_translation
    scores = fibre_trust_scores(carried, oracle, np.where(unfaithful, 100.0, 5.0))
    assert scores.counts == (3 + 2, label_axons(carried).max() - 3)
    assert scores.auc() == pytest.approx(1.0)


def test_a_map_that_knows_nothing_scores_one_half_and_an_inverted_one_zero(unfaithful_translation) -> None:
    carried, oracle, unfaithful = unfaithful_translation
    assert fibre_trust_scores(carried, oracle, np.full(carried.shape, 7.0)).auc() == pytest.approx(0.5)
    assert fibre_trust_scores(carried, oracle, np.where(unfaithful, 1.0, 50.0)).auc() == pytest.approx(0.0)


def test_pooling_images_and_an_all_faithful_image(unfaithful_translation, phantom_labels) -> None:
    carried, oracle, unfaithful = unfaithful_translation
    faithful = fibre_trust_scores(phantom_labels[1], phantom_labels[1], np.zeros(carried.shape))
    assert faithful.counts[0] == 0 and math.isnan(faithful.auc())
    pooled = FibreTrustScores()
    pooled.extend(faithful)
    pooled.extend(fibre_trust_scores(carried, oracle, np.where(unfaithful, 9.0, 1.0)))
    assert pooled.counts == (5, faithful.counts[1] + label_axons(carried).max() - 3)
    assert 0.5 < pooled.auc() <= 1.0
    with pytest.raises(ValueError, match="same shape"):
        fibre_trust_scores(carried, oracle, np.zeros((3, 3)))

import math

import numpy as np

from axondeepsynth.evaluation.axon_objects import label_axons, match_axons


def test_matching_counts_found_missed_and_spurious_axons(fibre_field):
    reference = fibre_field((100, 100), [((20, 20), 6, 9), ((20, 70), 6, 9), ((70, 45), 8, 12)])
    # first axon found exactly, second shifted by one pixel (IoU > 0.5), third missed, one spurious
    prediction = fibre_field((100, 100), [((20, 20), 6, 9), ((21, 70), 6, 9), ((75, 85), 5, 8)])
    matches = match_axons(label_axons(reference), label_axons(prediction))
    assert (matches.num_reference, matches.num_predicted) == (3, 3)
    assert len(matches.pairs) == 2
    assert matches.sensitivity == 2 / 3 and matches.precision == 2 / 3
    assert matches.pairs[0][2] == 1.0 and 0.5 < matches.pairs[1][2] < 1.0


def test_a_half_overlapping_axon_is_not_a_match():
    reference = np.zeros((30, 30), np.uint8)
    prediction = np.zeros_like(reference)
    reference[5:15, 5:15] = 2
    prediction[5:15, 10:20] = 2  # IoU 1/3
    matches = match_axons(label_axons(reference), label_axons(prediction))
    assert matches.pairs == [] and matches.sensitivity == 0.0


def test_empty_maps_give_nan_rates_and_small_regions_can_be_dropped(fibre_field):
    empty = np.zeros((10, 10), np.uint8)
    matches = match_axons(label_axons(empty), label_axons(empty))
    assert math.isnan(matches.sensitivity) and math.isnan(matches.precision)
    speckled = fibre_field((40, 40), [((20, 20), 6, 9)])
    speckled[2, 2] = 2
    assert label_axons(speckled).max() == 2
    assert label_axons(speckled, min_area_px=5).max() == 1

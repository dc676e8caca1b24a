import math

import numpy as np
import pytest

from axondeepsynth.evaluation.overlap import overlap_metrics


def test_shifted_square_has_the_dice_and_iou_of_its_overlap():
    reference = np.zeros((40, 40), dtype=np.uint8)
    prediction = np.zeros_like(reference)
    reference[10:20, 10:20] = 2
    prediction[10:20, 15:25] = 2  # half of the 10x10 square overlaps
    metrics = overlap_metrics(reference, prediction)
    assert metrics["dice_axon"] == pytest.approx(50 * 2 / 200)
    assert metrics["iou_axon"] == pytest.approx(50 / 150)
    assert math.isnan(metrics["dice_myelin"])  # myelin absent from both


def test_identical_maps_score_one_for_every_class(real_data_dir):
    from axondeepsynth.imaging.image_io import read_label_map

    labels = read_label_map(next((real_data_dir / "sem_bids" / "derivatives").rglob("*data9*axonmyelin*")))
    metrics = overlap_metrics(labels, labels)
    assert metrics == {"dice_myelin": 1.0, "iou_myelin": 1.0, "dice_axon": 1.0, "iou_axon": 1.0}


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="shape"):
        overlap_metrics(np.zeros((4, 4), np.uint8), np.zeros((4, 5), np.uint8))

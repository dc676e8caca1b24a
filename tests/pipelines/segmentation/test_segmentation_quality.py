"""Quality check outside CI: a longer CPU training on the phantoms segments axons far above chance."""

from __future__ import annotations

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.pipelines.segmentation.nodes import (
    evaluate_segmentations,
    list_test_cases,
    predict_segmentations,
    prepare_nnunet_dataset,
    train_nnunet_fold,
)


@pytest.mark.slow
def test_phantom_dice_is_clearly_above_chance(phantom_nnunet_raw, tiny):
    training = tiny.training.model_copy(update={"num_epochs": 12, "iterations_per_epoch": 25,
                                               "continue_training": False})
    plan = prepare_nnunet_dataset(phantom_nnunet_raw, tiny.nnunet, tiny.planning)
    fold, _ = train_nnunet_fold(plan, tiny.nnunet, training, slot="all")
    cases = list_test_cases(phantom_nnunet_raw, tiny.prediction)
    masks, cases, _ = predict_segmentations(plan, cases, tiny.nnunet, tiny.prediction, fold)
    metrics, *_ = evaluate_segmentations(masks, cases, tiny.evaluation)
    for name in masks:
        reference = read_label_map(cases[name]["label"])
        row = metrics.set_index("image").loc[name]
        # a prediction that ignores the image scores about the class's pixel share
        for value, column in ((2, "dice_axon"), (1, "dice_myelin")):
            share = float(np.mean(reference == value))
            assert row[column] > max(0.5, 2 * share), (name, column, row[column], share)

"""Ranking arms and saying what each cost and gained over no adaptation."""

from __future__ import annotations

import math

import pandas as pd

from axondeepsynth.evaluation.arm_costs import ArmCost, cost_and_gain_sentences, rank_arms

TABLE = pd.DataFrame({"arm": ["no_adaptation", "adaptation", "histogram_matching", "oracle", "augmentation"],
                      "dice_foreground": [0.020, 0.627, 0.140, 0.864, math.nan]})


def test_arms_are_ranked_best_first_with_unscored_arms_last() -> None:
    ranked = rank_arms(TABLE)
    assert ranked["arm"].tolist() == ["oracle", "adaptation", "histogram_matching", "no_adaptation", "augmentation"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5]


def test_one_sentence_per_arm_with_measured_cost_and_gain() -> None:
    costs = {"adaptation": ArmCost(312.0, "SynDiff training 300 s + translation 12 s"),
             "histogram_matching": ArmCost(0.4, "matching 3 images"),
             "no_adaptation": ArmCost(45.0, "source nnU-Net training")}
    sentences = cost_and_gain_sentences(TABLE, costs)
    assert len(sentences) == 5
    assert sentences[1] == ("2. **adaptation** cost 5.2 min (SynDiff training 300 s + translation 12 s); "
                            "+0.607 dice_foreground over no_adaptation (0.020 -> 0.627).")
    assert sentences[2].startswith("3. **histogram_matching** cost 0.4 s (matching 3 images); +0.120")
    assert "it is the baseline" in sentences[3]
    assert "unmeasured time (not timed)" in sentences[0]

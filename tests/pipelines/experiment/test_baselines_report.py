"""Costs per arm from the run's records, and the report section that ranks the arms."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from axondeepsynth.pipelines.experiment.baselines_report import (
    arm_costs,
    baselines_markdown,
    nnunet_training_seconds,
    translation_seconds,
)

FOLD = {"fold": "0", "skipped": False, "history": {"epoch_seconds": [20.0, 22.0, 21.0]}}
SKIPPED = {"fold": "1", "skipped": True}


def test_costs_add_up_what_each_arm_trained_and_translated() -> None:
    assert nnunet_training_seconds([FOLD, SKIPPED]) == pytest.approx(63.0)
    assert translation_seconds({"tiles": 75, "tiles_per_second": 2.5}) == pytest.approx(30.0)
    assert math.isnan(translation_seconds({"tiles": 0, "tiles_per_second": 0.0}))
    costs = arm_costs({"no_adaptation": [FOLD], "tutorship": [FOLD, SKIPPED]}, 300.0,
                      {"adaptation": {"tiles": 75, "tiles_per_second": 2.5},
                       "tutorship": {"tiles": 225, "tiles_per_second": 2.5}}, 0.2)
    assert costs["no_adaptation"].seconds == pytest.approx(63.0)
    assert costs["adaptation"].seconds == pytest.approx(330.0)
    assert costs["tutorship"].seconds == pytest.approx(300 + 90 + 63)
    assert costs["tutorship"].what == "SynDiff training 300 s + translation 90.0 s + nnU-Net training 63 s"
    assert costs["histogram_matching"].seconds == pytest.approx(0.2)
    assert "oracle" not in costs


def test_section_ranks_arms_and_reports_kid_and_trust() -> None:
    table = pd.DataFrame({"arm": ["no_adaptation", "adaptation", "histogram_matching"],
                          "dice_foreground": [0.02, 0.63, 0.14], "dice_myelin": [0.0, 0.66, 0.2],
                          "dice_axon": [0.04, 0.59, 0.08]})
    costs = arm_costs({"no_adaptation": [FOLD]}, 300.0, {"adaptation": {"tiles": 75, "tiles_per_second": 2.5}}, 0.2)
    trust = {"draws": 4.0, "mean_spread": 12.3, "mean_cycle_error": 30.1, "flagged_images": 1.0, "images": 3.0,
             "flagged_tiles": 5.0, "unfaithful_fibres": 10.0, "faithful_fibres": 30.0, "auc_spread": 0.61,
             "auc_cycle_error": 0.48}
    costs = {arm: {"seconds": cost.seconds, "what": cost.what} for arm, cost in costs.items()}
    text = baselines_markdown(table, costs, {"adaptation": {"kid": 0.0012, "kid_untranslated": 0.0101}}, trust)
    ranking = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert [line.split("**")[1] for line in ranking] == ["adaptation", "histogram_matching", "no_adaptation"]
    assert "adaptation 1.20 (10.10)" in text
    assert "ROC AUC of per-fibre mean spread 0.610, of cycle error 0.480" in text
    assert "translated 4 times" in text and "flagged 1 of 3 images and 5 tiles" in text

    all_wrong = {**trust, "unfaithful_fibres": 780.0, "faithful_fibres": 0.0, "auc_spread": float("nan")}
    text = baselines_markdown(table, costs, {}, all_wrong)
    assert "(780 invented or lost of 780)? Not measurable in this run: every fibre is wrong" in text
    assert "nan" not in text.split("## Trust map")[1]


def test_the_cost_node_reads_the_run_records() -> None:
    from axondeepsynth.pipelines.experiment.baselines_report import measure_arm_costs
    from axondeepsynth.translation.translation_manifest import TranslationManifest

    matching = TranslationManifest(mode="adaptation", output_dir=Path("matched"), source_contrast="tem",
                                   target_contrast="sem", outputs={}, stats={"images": 3, "translate_seconds": 0.3})
    costs = measure_arm_costs({"training_seconds": 250.0}, matching, source_model_fold_0=FOLD,
                              source_model_fold_all=SKIPPED, augmentation_fold_0=FOLD,
                              adaptation_translation={"tiles": 75, "tiles_per_second": 2.5})
    assert costs["no_adaptation"] == {"seconds": 63.0, "what": "nnU-Net training 63 s"}
    assert costs["augmentation"]["seconds"] == 63.0
    assert costs["adaptation"]["seconds"] == pytest.approx(280.0)
    assert costs["histogram_matching"]["seconds"] == pytest.approx(0.3)

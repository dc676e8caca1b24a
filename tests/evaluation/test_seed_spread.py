"""Mean and spread per arm over SynDiff seeds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from axondeepsynth.evaluation.seed_spread import seed_rows, seed_spread


def _table(adaptation: float, tutorship: float) -> pd.DataFrame:
    return pd.DataFrame({"arm": ["adaptation", "tutorship"], "dice_foreground": [adaptation, tutorship],
                         "dice_axon": [adaptation - 0.03, tutorship - 0.05]})


def test_three_seeds_give_mean_and_sample_std_per_arm() -> None:
    rows = seed_rows({42: _table(0.63, 0.72), 1: _table(0.81, 0.85), 2: _table(0.82, 0.85)})
    summary = seed_spread(rows, ["dice_foreground", "dice_axon", "not_reported"]).set_index("arm")
    assert list(summary.index) == ["adaptation", "tutorship"]
    assert summary.loc["adaptation", "seeds"] == 3
    assert summary.loc["adaptation", "dice_foreground_mean"] == pytest.approx((0.63 + 0.81 + 0.82) / 3)
    assert summary.loc["adaptation", "dice_foreground_std"] == pytest.approx(pd.Series([0.63, 0.81, 0.82]).std())
    assert summary.loc["tutorship", "dice_axon_mean"] == pytest.approx((0.67 + 0.80 + 0.80) / 3)
    assert "not_reported_mean" not in summary


def test_one_seed_has_no_spread_and_no_seed_is_an_error() -> None:
    summary = seed_spread(seed_rows({42: _table(0.63, 0.72)}), ["dice_foreground"])
    assert summary["seeds"].tolist() == [1, 1] and summary["dice_foreground_std"].map(math.isnan).all()
    with pytest.raises(ValueError, match="experiment.seeds"):
        seed_rows({})

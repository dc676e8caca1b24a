"""Is an arm worth its cost? Rank the arms and say, per arm, what it cost and what it gained.

A lab weighing days of GPU time for SynDiff against an afternoon's baseline needs both numbers
side by side: the wall-clock seconds an arm's own training and translation took in this run
(measured, not estimated: nnU-Net's epoch timestamps, SynDiff's training record, the
translation engine's timer) and its gain in mean foreground Dice over the no-adaptation arm on
the same held-out images.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

BASELINE_ARM = "no_adaptation"
RANK_METRIC = "dice_foreground"


@dataclass(frozen=True)
class ArmCost:
    """What one arm cost in this run.

    Attributes:
        seconds: wall-clock seconds of the arm's own training and translation.
        what: the parts that were timed, for people (e.g. ``"SynDiff training 300 s + translation 12 s"``).
    """

    seconds: float
    what: str


def rank_arms(table: pd.DataFrame, metric: str = RANK_METRIC) -> pd.DataFrame:
    """``table`` (one row per arm) sorted best first by ``metric``, with a 1-based ``rank`` column (NaN last)."""
    ranked = table.sort_values(metric, ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked


def _duration(seconds: float) -> str:
    if math.isnan(seconds):
        return "an unmeasured time"
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.1f} s"


def cost_and_gain_sentences(table: pd.DataFrame, costs: Mapping[str, ArmCost], metric: str = RANK_METRIC,
                            baseline: str = BASELINE_ARM) -> list[str]:
    """One sentence per arm of ``table``, best first: its rank, measured cost and gain over ``baseline``."""
    ranked = rank_arms(table, metric)
    reference = ranked.loc[ranked["arm"] == baseline, metric]
    base = float(reference.iloc[0]) if len(reference) else math.nan
    sentences = []
    for row in ranked.itertuples(index=False):
        arm, value = row.arm, float(getattr(row, metric))
        cost = costs.get(arm, ArmCost(math.nan, "not timed"))
        spent = f"cost {_duration(cost.seconds)} ({cost.what})"
        if arm == baseline:
            gain = f"it is the baseline ({metric} {value:.3f})"
        else:
            gain = f"{value - base:+.3f} {metric} over {baseline} ({base:.3f} -> {value:.3f})"
        sentences.append(f"{row.rank}. **{arm}** {spent}; {gain}.")
    return sentences

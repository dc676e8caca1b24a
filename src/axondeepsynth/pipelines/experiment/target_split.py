"""What the report says about the target test split: held out of every training, or transductive."""

from __future__ import annotations

import pandas as pd

HELD_OUT = "held_out"
TRANSDUCTIVE = "transductive"


def target_split_mode(transductive: bool) -> str:
    """``held_out`` or ``transductive`` (``inputs.target.transductive``), the report's ``target_split`` column."""
    return TRANSDUCTIVE if transductive else HELD_OUT


def with_target_split(table: pd.DataFrame, transductive: bool) -> pd.DataFrame:
    """``table`` with a ``target_split`` column naming how its test images were protected."""
    return table.assign(target_split=target_split_mode(transductive))


def target_split_markdown(transductive: bool) -> str:
    """The report line saying whether SynDiff saw the (unlabelled) target test images."""
    if transductive:
        return ("Target test split: **transductive** (`inputs.target.transductive: true`): SynDiff also trained "
                "on the unlabelled target test images; no nnU-Net saw them or their labels.")
    return ("Target test split: **held out**: the target test subjects entered neither SynDiff's training "
            "nor any nnU-Net's.")

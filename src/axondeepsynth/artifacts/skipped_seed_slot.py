"""What a replicate slot's nodes return, and its datasets hold, when ``experiment.seeds`` leaves it out.

Kedro builds the experiment before it reads parameters, so the extra SynDiff seeds are fixed
replicate slots (``seed_1``, ``seed_2``); a slot the run does not use passes this marker along
instead of training and translating, the way an unselected fold slot returns a "skipped" record.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SkippedSeedSlot:
    """Replicate slot ``slot`` did not run: ``experiment.seeds`` was ``seeds`` (it runs from ``slot + 1``)."""

    slot: int
    seeds: int

    def describe(self) -> str:
        return f"seed slot {self.slot} skipped (experiment.seeds is {self.seeds}; it runs from {self.slot + 1})"

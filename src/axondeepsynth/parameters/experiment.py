"""``experiment``: how many times the SynDiff-dependent arms run, each with another SynDiff seed.

One SynDiff run can mislead (three seeds of the demo gave the adaptation arm 0.63, 0.81 and 0.82
mean foreground Dice). With ``seeds: n`` the experiment trains SynDiff ``n`` times, with seeds
``syndiff_training.seed``, ``+1``, ... ``+n-1``, runs the adaptation, tutorship and non-diffusive
adaptation arms on each, and reports each arm's mean and standard deviation over the seeds.
Kedro builds pipelines before it reads parameters, so the extra seeds are fixed replicate slots
(:data:`SEED_SLOTS`, like the fold slots); a slot beyond ``seeds`` skips every one of its nodes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from axondeepsynth.parameters.strict_model import StrictModel

SEED_SLOTS: tuple[int, ...] = (1, 2)
"""Replicate slots beside the main run (slot 0): slot ``k`` trains with ``syndiff_training.seed + k``."""


class ExperimentParams(StrictModel):
    """Attributes:
        seeds: SynDiff seeds the experiment runs its SynDiff-dependent arms with: 1 (the main run
            only) up to ``1 + len(SEED_SLOTS)``.
    """

    seeds: Annotated[int, Field(ge=1, le=1 + len(SEED_SLOTS))]

    def runs_slot(self, slot: int) -> bool:
        """Whether replicate slot ``slot`` (1, 2, ...) trains in this run."""
        return slot < self.seeds

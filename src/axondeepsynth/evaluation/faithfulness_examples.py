"""Keep the least faithful translations (with their pixels) while images are scored one by one.

The figure of the worst translations needs the images, the oracle's prediction and the carried
labels, but which images are worst is only known once all are scored; keeping every prediction
in memory would grow with the dataset. :class:`WorstExamples` holds at most ``capacity`` of them.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class FaithfulnessExample:
    """One scored translation, everything at the source's original size.

    Attributes:
        name: the case name.
        score: its faithfulness score (higher is better, see
            :func:`~axondeepsynth.evaluation.faithfulness_table.faithfulness_score`).
        source, translation: uint8 images.
        carried_labels, oracle_prediction: uint8 label maps (0 background, 1 myelin, 2 axon).
        spread, cycle_error: the translation's trust maps in grey levels
            (:mod:`~axondeepsynth.translation.trust_map`), when they were made.
    """

    name: str
    score: float
    source: np.ndarray
    translation: np.ndarray
    carried_labels: np.ndarray
    oracle_prediction: np.ndarray
    spread: np.ndarray | None = None
    cycle_error: np.ndarray | None = None


@dataclass
class WorstExamples:
    """The ``capacity`` examples with the lowest score seen so far; NaN scores rank as best."""

    capacity: int
    _heap: list[tuple[float, str, FaithfulnessExample]] = field(default_factory=list)

    def would_keep(self, score: float) -> bool:
        """Whether an example with ``score`` would be kept now."""
        if self.capacity <= 0:
            return False
        return len(self._heap) < self.capacity or self._rank(score) < -self._heap[0][0]

    @staticmethod
    def _rank(score: float) -> float:
        return math.inf if math.isnan(score) else score

    def add(self, example: FaithfulnessExample) -> None:
        """Keep ``example`` if it is among the worst ``capacity`` so far."""
        if not self.would_keep(example.score):
            return
        # max-heap on the score through negation: the root is the best of the kept examples
        entry = (-self._rank(example.score), example.name, example)
        if len(self._heap) < self.capacity:
            heapq.heappush(self._heap, entry)
        else:
            heapq.heapreplace(self._heap, entry)

    def worst_first(self) -> list[FaithfulnessExample]:
        """The kept examples, least faithful first (ties by name)."""
        return [entry[2] for entry in sorted(self._heap, key=lambda e: (-e[0], e[1]))]

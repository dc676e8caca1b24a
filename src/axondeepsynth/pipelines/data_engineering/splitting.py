"""Assign images to train / val / test without letting a subject straddle two splits.

Groups are subjects where the layout names them (BIDS), else single images. With fewer groups
than non-empty splits, subjects cannot be kept apart: the split falls back to single images (a
warning says subjects are then shared). If even the images are too few (the real TEM sample is
one image of one subject), a split that should hold images but got none reuses the training
images, is listed in ``shared_with_train`` and a warning says its figures are not held out.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

SPLITS = ("train", "val", "test")

T = TypeVar("T")


@dataclass(frozen=True)
class SplitResult(Generic[T]):
    """Items per split, and the splits that had to reuse the training items."""

    items: dict[str, list[T]]
    shared_with_train: frozenset[str]


def split_counts(n_groups: int, ratios: dict[str, float]) -> dict[str, int]:
    """How many groups each split gets: largest-remainder rounding of ``n_groups * ratio``, then
    every split with a non-zero ratio takes one group from the largest split while that one keeps
    at least one."""
    exact = {s: n_groups * ratios[s] for s in SPLITS}
    counts = {s: math.floor(exact[s]) for s in SPLITS}
    by_remainder = sorted(SPLITS, key=lambda s: (-(exact[s] - counts[s]), SPLITS.index(s)))
    for split in by_remainder[: n_groups - sum(counts.values())]:
        counts[split] += 1
    for split in SPLITS:
        if ratios[split] > 0 and counts[split] == 0:
            donor = max(SPLITS, key=lambda s: counts[s])
            if counts[donor] > 1:
                counts[donor] -= 1
                counts[split] += 1
    return counts


def split_by_group(
    items: Sequence[T], group_of: Callable[[T], Hashable], ratios: dict[str, float], seed: int, label: str
) -> SplitResult[T]:
    """Shuffle the groups of ``items`` with ``seed`` and deal them to the splits by ``ratios``.

    ``label`` names the modality in warnings. Items keep their input order within a split.
    """
    keys: list[Hashable] = [group_of(item) for item in items]
    needed = sum(1 for s in SPLITS if ratios[s] > 0)
    if len(set(keys)) < needed and len(items) > len(set(keys)):
        logger.warning(
            "%s: only %d subject(s) for %d splits; splitting by image, so subjects are shared across splits.",
            label, len(set(keys)), needed,
        )
        keys = list(range(len(items)))
    groups = sorted(set(keys), key=str)
    random.Random(seed).shuffle(groups)
    counts = split_counts(len(groups), ratios)
    assigned: dict[Hashable, str] = {}
    start = 0
    for split in SPLITS:
        assigned.update(dict.fromkeys(groups[start : start + counts[split]], split))
        start += counts[split]
    result = {split: [item for item, key in zip(items, keys) if assigned[key] == split] for split in SPLITS}
    shared = frozenset(s for s in SPLITS if ratios[s] > 0 and not result[s])
    for split in sorted(shared):
        logger.warning(
            "%s: too few images to hold any out for '%s'; it reuses the %d training image(s), so its "
            "figures are not held out.", label, split, len(result["train"]),
        )
        result[split] = list(result["train"])
    return SplitResult(items=result, shared_with_train=shared)

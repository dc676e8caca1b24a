"""Split images into training and test sets by subject, so no subject's tissue is in both."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


def split_test_groups(groups: Sequence[str], test_fraction: float, seed: int) -> set[str]:
    """Choose the groups (subjects) that go to the test set.

    Args:
        groups: the group of each image (repeats allowed; a subject with several samples counts once).
        test_fraction: share of the groups held out, in [0, 1); rounded to the nearest whole group,
            at least one when the fraction is positive and more than one group exists.
        seed: makes the choice reproducible.

    Returns:
        The test groups; every other group is for training (at least one always is).
    """
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie in [0, 1), got {test_fraction}; change nnunet_export.test_fraction.")
    unique = sorted(set(groups))
    if test_fraction == 0.0 or len(unique) < 2:
        return set()
    count = min(len(unique) - 1, max(1, math.floor(test_fraction * len(unique) + 0.5)))
    return set(random.Random(seed).sample(unique, count))

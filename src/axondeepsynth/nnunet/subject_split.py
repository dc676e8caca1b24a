"""Split images by subject, so no subject's tissue is on both sides: the test set of an export,
and the cross-validation folds nnU-Net trains on (``splits_final.json``)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence


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


def subject_folds(case_subjects: Mapping[str, str], num_folds: int, seed: int) -> list[dict[str, list[str]]]:
    """Cross-validation folds in nnU-Net's ``splits_final.json`` form, keeping each subject in one fold.

    Args:
        case_subjects: training case id -> its subject (a case whose subject is unknown is its own).
        num_folds: folds wanted (nnU-Net's default is 5); fewer are made when there are fewer
            subjects, one per subject (leave one subject out).
        seed: shuffles which subjects share a fold, reproducibly.

    Returns:
        ``[{"train": [case ids], "val": [case ids]}, ...]``, sorted case ids; empty when fewer
        than two subjects exist (no split by subject is possible).
    """
    from sklearn.model_selection import GroupKFold

    cases = sorted(case_subjects)
    groups = [case_subjects[case] for case in cases]
    folds = min(int(num_folds), len(set(groups)))
    if folds < 2:
        return []
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=int(seed))
    return [{"train": sorted(cases[i] for i in train), "val": sorted(cases[i] for i in val)}
            for train, val in splitter.split(cases, groups=groups)]

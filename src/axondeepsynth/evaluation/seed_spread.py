"""How much the experiment's verdict moves with the SynDiff seed: mean and spread per arm over seeds.

One SynDiff run can mislead (three seeds of the demo gave the adaptation arm 0.63, 0.81 and 0.82
mean foreground Dice), so the SynDiff-dependent arms run once per seed (namespaces
``seed_<seed>.<arm>``) and each arm's report row is summarised over the seeds here: the mean and
the sample standard deviation (``ddof=1``; NaN with a single seed, where no spread is measured).
Arms that do not depend on SynDiff run once and get a std of NaN over their one row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

SEED_COLUMN = "seed"


def seed_rows(tables: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """Stack per-seed report tables (one row per arm) into one table with a ``seed`` column."""
    if not tables:
        raise ValueError("no per-seed report table to summarise; experiment.seeds must list at least one seed.")
    return pd.concat([table.assign(**{SEED_COLUMN: seed}) for seed, table in tables.items()], ignore_index=True)


def seed_spread(rows: pd.DataFrame, columns: Sequence[str], arm_column: str = "arm") -> pd.DataFrame:
    """Per arm (in first-seen order): ``seeds`` and ``<column>_mean`` / ``<column>_std`` of ``columns``.

    Args:
        rows: one row per (arm, seed), e.g. from :func:`seed_rows`.
        columns: numeric report columns to summarise (missing ones are skipped).
    """
    present = [column for column in columns if column in rows]
    grouped = rows.groupby(arm_column, sort=False)
    summary = grouped[present].agg(["mean", "std"])
    summary.columns = [f"{column}_{statistic}" for column, statistic in summary.columns]
    summary.insert(0, "seeds", grouped[SEED_COLUMN].nunique() if SEED_COLUMN in rows else grouped.size())
    return summary.reset_index()

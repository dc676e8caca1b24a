"""Fixtures of the reliability suite: a project-owned copy of a phantom dataset to aim destructive
writes at, and a project after a real data_engineering run to aim faulty ``kedro run``s at.

Every case asserts the message a user sees *and* that each input file is byte-for-byte unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_helpers import copy_as_project_output


@pytest.fixture
def owned_sem_dataset(phantom_root: Path, tmp_path: Path) -> Path:
    """The phantom SEM nnU-Net raw dataset, project-owned, at ``<tmp>/nnunet/nnUNet_raw/Dataset501_PHANTOM_SEM``."""
    return copy_as_project_output(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM",
                                  tmp_path / "nnunet" / "nnUNet_raw" / "Dataset501_PHANTOM_SEM")


@pytest.fixture
def project(engineered_copy: Path) -> Path:
    """The project the faulty runs are aimed at: a fresh copy of the session's engineered project
    (tests/conftest.py), made the working directory."""
    return engineered_copy

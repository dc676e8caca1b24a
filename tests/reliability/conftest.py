"""Helpers of the reliability suite: fingerprints of every input file, and small project-owned copies
of the phantom datasets to aim destructive runs at.

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

"""Small unpaired image sets for the SynDiff tests, made from the real SEM and TEM samples.

The real micrographs are shrunk so a 64-pixel crop still shows several axons, and one SEM image
is cut smaller than a tile so padding is exercised. The sets are dicts ``modality -> list of
uint8 whole images``, the content of the SynDiff HDF5 files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image

SHRINK = 0.12
"""Scale factor applied to the real micrographs (SEM ~90-240 px, TEM ~240x120 px after it)."""


def _shrunk_images(folder: Path, pattern: str) -> list[np.ndarray]:
    return [rescale_image(read_grayscale(path), SHRINK) for path in sorted(folder.glob(pattern))]


@pytest.fixture(scope="session")
def unpaired_images(real_data_dir: Path) -> dict[str, list[np.ndarray]]:
    """``{"sem": [...], "tem": [...]}`` uint8 whole images; the last SEM image is 40x50 px."""
    sem = _shrunk_images(real_data_dir / "sem_bids", "sub-*/micr/*_SEM.png")
    tem = _shrunk_images(real_data_dir / "tem_bids", "sub-*/micr/*_TEM.png")
    sem.append(sem[0][:40, :50].copy())
    return {"sem": sem, "tem": tem}

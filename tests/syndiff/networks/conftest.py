"""Real SEM and TEM crops as network inputs: float32 tensors in [-1, 1], (B, 1, S, S)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from axondeepsynth.imaging.image_io import read_grayscale

TileMaker = Callable[[str, int, int], torch.Tensor]


@pytest.fixture(scope="session")
def micrographs(real_data_dir: Path) -> dict[str, np.ndarray]:
    """One real uint8 micrograph per modality (SEM ~760x740 px, TEM 999x2000 px)."""
    return {
        "sem": read_grayscale(next((real_data_dir / "sem_bids").glob("sub-rat3/micr/*_SEM.png"))),
        "tem": read_grayscale(next((real_data_dir / "tem_bids").glob("sub-*/micr/*_TEM.png"))),
    }


@pytest.fixture(scope="session")
def real_tiles(micrographs: dict[str, np.ndarray]) -> TileMaker:
    """`real_tiles(modality, size, batch)`: `batch` diagonal size x size crops in [-1, 1]."""

    def make(modality: str, size: int, batch: int) -> torch.Tensor:
        image = micrographs[modality]
        step = (min(image.shape) - size) // max(batch, 1)
        crops = [image[i * step:i * step + size, i * step:i * step + size] for i in range(batch)]
        tiles = torch.from_numpy(np.stack(crops)[:, None].astype(np.float32))
        return tiles / 127.5 - 1.0

    return make

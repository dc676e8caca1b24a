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


MICRO_OVERRIDES = {
    "model": {
        "num_channels": 8, "ch_mult": [1, 1, 1, 1], "num_res_blocks": 1, "attn_resolutions": [8],
        "nz": 8, "z_emb_dim": 16, "t_emb_dim": 16, "n_mlp": 1,
        "disc_channels": 8, "ngf": 8, "n_resnet_blocks": 1, "ndf": 8,
    },
    "optimization": {"batch_size": 2, "num_epochs": 2},
}
"""The tiny preset narrowed further so one training step takes about a second on a CPU core;
every architectural element (attention, FIR resampling, both discriminator kinds) is kept."""


@pytest.fixture(scope="session")
def micro_config():
    from axondeepsynth.syndiff.config import preset

    return preset("tiny", MICRO_OVERRIDES)


@pytest.fixture(scope="session")
def real_crops(unpaired_images: dict[str, list[np.ndarray]]):
    """A fixed (SEM, TEM) batch of two 64 px crops each, in [-1, 1]."""
    from axondeepsynth.syndiff.training_data import UnpairedCropSampler

    sampler = UnpairedCropSampler(unpaired_images["sem"], unpaired_images["tem"], tile_size=64, seed=0)
    return next(sampler.iter_batches(epoch=0, batch_size=2))


@pytest.fixture(autouse=True)
def _single_cpu_thread():
    """One intra-op thread: on a shared 2-core machine, two OpenMP threads that wait on each
    other make these small networks 10-20x slower."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)

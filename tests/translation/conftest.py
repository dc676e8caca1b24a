"""Small real sources for the translation tests: crops of the real SEM samples as an nnU-Net raw
dataset (labels 0/1/2) and as a BIDS dataset, and an engine whose "translation" is the identity."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine

CROP = (slice(100, 290), slice(50, 263))  # 190 x 213 px: not a multiple of any tile


def identity_translate(tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
    """A translate_fn that returns its tiles unchanged."""
    return tiles


@pytest.fixture
def identity_engine() -> TiledTranslationEngine:
    return TiledTranslationEngine(identity_translate, batch_size=6, run_seed=0)


@pytest.fixture(scope="session")
def sem_nnunet_source(real_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four real SEM samples, cropped, as an nnU-Net raw dataset with 0/1/2 label PNGs."""
    root = tmp_path_factory.mktemp("sources") / "Dataset001_SEM"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    records = discover_images(real_data_dir / "sem_bids", modality="sem")[:4]
    for index, record in enumerate(records):
        case = f"SEM_{index:03d}"
        Image.fromarray(read_grayscale(record.path)[CROP]).save(root / "imagesTr" / f"{case}_0000.png")
        Image.fromarray(read_label_map(record.label_path)[CROP]).save(root / "labelsTr" / f"{case}.png")
    dataset = {
        "name": "SEM",
        "labels": {"background": 0, "myelin": 1, "axon": 2},
        "channel_names": {"0": "rescale_to_0_1"},
        "numTraining": len(records),
        "file_ending": ".png",
    }
    (root / "dataset.json").write_text(json.dumps(dataset))
    return root


@pytest.fixture(scope="session")
def tem_bids_source(real_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real TEM BIDS sample (2000 x 999 px, labels 0/128/255), copied so tests may write beside it."""
    root = tmp_path_factory.mktemp("sources") / "tem_bids"
    shutil.copytree(real_data_dir / "tem_bids", root)
    return root


SMALL_MODEL = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64,
                         "n_mlp": 1}}
"""The tiny preset (64 px tiles) made narrower still, so that a tile takes ~0.15 s on one CPU thread."""


@pytest.fixture(scope="session")
def tiny_checkpoints(tmp_path_factory: pytest.TempPathFactory):
    """An untrained small SynDiff (64 px tiles) between sem (contrast1) and tem, epochs 2 and 5."""
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    root = tmp_path_factory.mktemp("syndiff")
    return write_untrained_checkpoint(root, "tiny_exp", ("sem", "tem"), epochs=(2, 5), overrides=SMALL_MODEL)

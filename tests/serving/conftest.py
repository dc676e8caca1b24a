"""Small real artifacts for the served models: an nnU-Net trained for seconds on the phantom SEM
images, and a small SynDiff checkpoint between sem and tem (untrained: the test compares the
served path with the same path run directly, not translation quality)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.raw_dataset import METADATA_KEY
from axondeepsynth.nnunet.training import TrainingSettings, train_fold

SEM_PIXEL_SIZE_UM = 0.1
SMALL_SYNDIFF = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64,
                           "n_mlp": 1}}


@pytest.fixture(scope="session")
def phantom_sem_dataset(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The phantom tree's nnU-Net raw Dataset501_PHANTOM_SEM (imagesTs/labelsTs held out), in a base of its
    own, its pixel size recorded so that the trained model resamples images to it."""
    dataset = tmp_path_factory.mktemp("serving_nnunet") / "nnunet" / "nnUNet_raw" / "Dataset501_PHANTOM_SEM"
    shutil.copytree(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", dataset)
    description = json.loads((dataset / "dataset.json").read_text())
    description[METADATA_KEY] = {"pixel_size_um": SEM_PIXEL_SIZE_UM}  # as the project's exports record it
    (dataset / "dataset.json").write_text(json.dumps(description))
    return dataset


@pytest.fixture(scope="session")
def trained_fold_record(phantom_sem_dataset: Path) -> dict:
    """The record of a few-second CPU training of fold ``all`` (what the segmentation pipeline's fold nodes write)."""
    base = phantom_sem_dataset.parents[1]
    plan = plan_and_preprocess(base, 501, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    return train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                      TrainingSettings(num_epochs=2, iterations_per_epoch=3, val_iterations_per_epoch=1,
                                       save_every=100, device="cpu", validate=False), num_processes=1)


@pytest.fixture(scope="session")
def trained_nnunet_dir(trained_fold_record: dict) -> Path:
    """nnU-Net's model folder of that training."""
    return Path(trained_fold_record["model_dir"])


@pytest.fixture(scope="session")
def small_syndiff(tmp_path_factory: pytest.TempPathFactory):
    """A small untrained SynDiff (64 px tiles) between sem (contrast1) and tem, epoch 3."""
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    return write_untrained_checkpoint(tmp_path_factory.mktemp("serving_syndiff"), "serve_exp", ("sem", "tem"),
                                      epochs=(3,), overrides=SMALL_SYNDIFF)

"""A tiny nnU-Net dataset exported from the session's phantoms, and CPU parameters that train in seconds."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_nnunet_raw_dataset

TINY_SEGMENTATION_PARAMS = {
    "nnunet": {"dataset_id": 501, "dataset_name": "PHANTOM_SEM", "num_processes": 1},
    "planning": {"configuration": "2d", "planner": "nnUNetPlannerAxonCPU", "plans_identifier": None,
                 "gpu_memory_target_gb": None, "replan": False},
    # nnU-Net's 5-fold split needs 5 training cases; the tiny phantoms have 4, so train fold "all".
    "training": {"trainer": "nnUNetTrainerAxonDemo", "folds": ["all"], "num_epochs": 2, "iterations_per_epoch": 3,
                 "val_iterations_per_epoch": 1, "save_every": 100, "augmentation_processes": 0, "device": "cpu",
                 "continue_training": True, "validate": False},
    "prediction": {"images_dir": None, "folds": None, "use_best_checkpoint": False, "use_mirroring": True,
                   "tile_step_size": 0.5, "device": "cpu", "pixel_size_um": None},
    "evaluation": {"min_iou": 0.5, "min_axon_area_px": 4, "overlay_images": 2},
}


@pytest.fixture(scope="session")
def phantom_nnunet_base(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nnU-Net base folder holding the phantom SEM images exported as Dataset501_PHANTOM_SEM."""
    base = tmp_path_factory.mktemp("nnunet") / "nnunet"
    export_nnunet_raw_dataset(
        str(phantom_root / "sem_bids"),
        {"modality": "SEM", "test_fraction": 0.34, "seed": 0, "target_pixel_size_um": None, "overwrite": False},
        {"base_dir": str(base), "dataset_id": 501, "dataset_name": "PHANTOM_SEM"},
    )
    return base


@pytest.fixture
def segmentation_params(phantom_nnunet_base: Path) -> dict:
    """The ``segmentation`` parameters for a few-second CPU training on the phantom dataset."""
    params = copy.deepcopy(TINY_SEGMENTATION_PARAMS)
    params["nnunet"]["base_dir"] = str(phantom_nnunet_base)
    return params

"""A tiny nnU-Net dataset exported from the session's phantoms, and CPU parameters that train in seconds."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.parameters.segmentation import SegmentationParams
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_source_dataset
from axondeepsynth.pipelines.data_engineering.nodes import discover_sources

TINY_SEGMENTATION_PARAMS = {
    "nnunet": {"num_processes": 1},
    "planning": {"configuration": "2d", "planner": "nnUNetPlannerAxonCPU", "plans_identifier": None,
                 "gpu_memory_target_gb": None, "replan": False, "on_dataset_change": "replan"},
    # nnU-Net's 5-fold split needs 5 training cases; the tiny phantoms have 4, so train fold "all".
    "training": {"trainer": "nnUNetTrainerAxonDemo", "folds": ["all"], "num_epochs": 2, "iterations_per_epoch": 3,
                 "val_iterations_per_epoch": 1, "save_every": 100, "augmentation_processes": 0, "device": "cpu",
                 "continue_training": True, "validate": False},
    "prediction": {"folds": None, "use_best_checkpoint": False, "use_mirroring": True,
                   "tile_step_size": 0.5, "device": "cpu", "pixel_size_um": None},
    "evaluation": {"min_iou": 0.5, "min_axon_area_px": 4, "overlay_images": 2},
}


@pytest.fixture(scope="session")
def phantom_nnunet_raw(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> NnUNetRawHandle:
    """The phantom SEM images exported (by the data_engineering nodes) as Dataset501_PHANTOM_SEM."""
    inputs = InputsParams.model_validate({
        "generate_phantoms": False,
        "source": {"modality": "sem", "path": str(phantom_root / "sem_bids"), "scale": 1.0},
        "target": {"modality": "tem", "path": str(phantom_root / "tem_bids"), "scale": 1.0, "test_fraction": 0.0,
                   "test_seed": 0, "transductive": False, "regions": None},
        "paired": None, "working_pixel_size_um": None, "exclude_dirs": ["derivatives"]})
    export = NnUNetExportParams(test_fraction=0.34, seed=0, target_pixel_size_um=None, overwrite=False)
    dataset = NnUNetRawDataset(str(tmp_path_factory.mktemp("nnunet") / "nnunet"), 501, "PHANTOM_SEM")
    dataset.save(export_source_dataset(discover_sources(None, inputs), export))
    return dataset.load()


@pytest.fixture
def segmentation_params() -> dict:
    """The ``segmentation`` parameters for a few-second CPU training on the phantom dataset."""
    return copy.deepcopy(TINY_SEGMENTATION_PARAMS)


@pytest.fixture
def tiny(segmentation_params) -> SegmentationParams:
    return SegmentationParams.model_validate(segmentation_params)

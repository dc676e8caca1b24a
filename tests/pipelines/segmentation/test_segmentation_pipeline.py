"""The segmentation pipeline end to end on phantoms: plan, train one fold, predict, evaluate (CPU, seconds)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.json import JSONDataset
from matplotlib.figure import Figure

from axondeepsynth.datasets.nnunet_segmentation_masks_dataset import NnUNetSegmentationMasksDataset
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.pipelines.segmentation.pipeline import create_pipeline


def _catalog(params: dict, records: Path) -> DataCatalog:
    """Parameters in memory; the records between nodes persisted as in conf/base/catalog.yml."""
    catalog = DataCatalog()
    for key, value in params.items():
        catalog[f"params:segmentation.{key}"] = MemoryDataset(value)
    for name in ("nnunet_plan", "nnunet_fold_all", "segmentation_cases"):
        catalog[name] = JSONDataset(filepath=str(records / f"{name}.json"))
    catalog["segmentation_masks"] = NnUNetSegmentationMasksDataset(path=str(records / "masks"))
    return catalog



def test_pipeline_trains_predicts_and_evaluates_phantoms(segmentation_params, tmp_path):
    pipeline = create_pipeline(folds=segmentation_params["training"]["folds"])
    catalog = _catalog(segmentation_params, tmp_path)
    started = time.perf_counter()
    outputs = SequentialRunner().run(pipeline, catalog)
    seconds = time.perf_counter() - started

    fold = catalog["nnunet_fold_all"].load()
    assert "checkpoint_final.pth" in fold["checkpoints"]
    assert len(fold["history"]["train_losses"]) == 2 and all(np.isfinite(fold["history"]["train_losses"]))

    masks = catalog["segmentation_masks"].load()
    cases = catalog["segmentation_cases"].load()
    assert set(masks) == set(cases) and len(masks) == 2
    for name, labels in masks.items():
        reference = read_label_map(cases[name]["label"])
        assert labels.shape == reference.shape and labels.dtype == np.uint8
        assert set(np.unique(labels)) <= {0, 1, 2}

    assert sorted(p.name for p in (tmp_path / "masks").glob(f"{name}*")) == [
        f"{name}.png", f"{name}_seg-axon.png", f"{name}_seg-axonmyelin.png", f"{name}_seg-myelin.png"]
    metrics = outputs["segmentation_metrics"].load()
    assert list(metrics["image"]) == sorted(masks)
    for column in ("dice_myelin", "dice_axon", "iou_axon", "axon_sensitivity", "aggregate_g_ratio_reference"):
        assert metrics[column].between(0, 1).all(), column
    assert isinstance(outputs["segmentation_overlays"].load(), Figure)
    print(f"segmentation pipeline on 4+2 phantoms: {seconds:.1f} s, {fold['mean_epoch_seconds']:.1f} s/epoch")


def test_a_killed_fold_resumes_from_its_last_checkpoint(segmentation_params, tmp_path):
    """Train one epoch, pretend the run died after it (only checkpoint_latest left), train on to two."""
    from axondeepsynth.pipelines.segmentation.nodes import prepare_nnunet_dataset, train_nnunet_fold

    params = segmentation_params
    plan = prepare_nnunet_dataset(params["nnunet"], params["planning"])
    training = {**params["training"], "num_epochs": 1, "save_every": 1, "continue_training": False}
    first = train_nnunet_fold(plan, params["nnunet"], training, fold="all")
    fold_dir = Path(first["model_dir"]) / "fold_all"
    (fold_dir / "checkpoint_final.pth").rename(fold_dir / "checkpoint_latest.pth")
    resumed = train_nnunet_fold(plan, params["nnunet"], {**training, "num_epochs": 2, "continue_training": True},
                                fold="all")
    assert len(resumed["history"]["train_losses"]) == 2  # epoch 0 restored from the checkpoint, epoch 1 trained
    assert resumed["history"]["train_losses"][0] == first["history"]["train_losses"][0]
    assert "checkpoint_final.pth" in resumed["checkpoints"] and "checkpoint_latest.pth" not in resumed["checkpoints"]

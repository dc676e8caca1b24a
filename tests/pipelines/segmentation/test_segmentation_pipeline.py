"""The segmentation pipeline end to end on phantoms: plan, train one fold, predict, evaluate (CPU, seconds)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.json import JSONDataset
from matplotlib.figure import Figure

from axondeepsynth.datasets.nnunet_segmentation_masks_dataset import NnUNetSegmentationMasksDataset
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.segmentation.nodes import prepare_nnunet_dataset, train_nnunet_fold
from axondeepsynth.pipelines.segmentation.pipeline import create_pipeline


def _catalog(dataset, records: Path) -> DataCatalog:
    """The records between nodes persisted as in conf/base/catalog.yml (namespace ``segmentation``)."""
    catalog = DataCatalog({"source_nnunet_raw": MemoryDataset(dataset, copy_mode="assign")})
    for name in ("nnunet_plan", *(f"nnunet_fold_{slot}" for slot in FOLD_SLOTS), "segmentation_cases"):
        catalog[f"segmentation.{name}"] = JSONDataset(filepath=str(records / f"{name}.json"))
    catalog["segmentation.segmentation_masks"] = NnUNetSegmentationMasksDataset(path=str(records / "masks"))
    return catalog


def test_pipeline_trains_predicts_and_evaluates_phantoms(phantom_nnunet_raw, segmentation_params, tmp_path,
                                                         shipped_parameters, add_parameters):
    catalog = add_parameters(_catalog(phantom_nnunet_raw, tmp_path),
                             shipped_parameters(segmentation=segmentation_params))
    started = time.perf_counter()
    outputs = SequentialRunner().run(create_pipeline(), catalog)
    seconds = time.perf_counter() - started

    fold = catalog.load("segmentation.nnunet_fold_all")
    assert "checkpoint_final.pth" in fold["checkpoints"] and not fold["skipped"]
    assert len(fold["history"]["train_losses"]) == 2 and all(np.isfinite(fold["history"]["train_losses"]))
    assert all(catalog.load(f"segmentation.nnunet_fold_{slot}") == {"fold": slot, "skipped": True}
               for slot in FOLD_SLOTS if slot != "all"), "slots not in segmentation.training.folds do not train"

    masks = catalog.load("segmentation.segmentation_masks")
    cases = catalog.load("segmentation.segmentation_cases")
    assert set(masks) == set(cases) and len(masks) == 2
    for name, labels in masks.items():
        reference = read_label_map(cases[name]["label"])
        assert labels.shape == reference.shape and labels.dtype == np.uint8
        assert set(np.unique(labels)) <= {0, 1, 2}

    assert sorted(p.name for p in (tmp_path / "masks").glob(f"{name}*")) == [
        f"{name}.png", f"{name}_seg-axon.png", f"{name}_seg-axonmyelin.png", f"{name}_seg-myelin.png"]
    metrics = outputs["segmentation.segmentation_metrics"].load()
    assert list(metrics["image"]) == sorted(masks)
    for column in ("dice_myelin", "dice_axon", "iou_axon", "axon_sensitivity", "aggregate_g_ratio_reference"):
        assert metrics[column].between(0, 1).all(), column
    assert isinstance(outputs["segmentation.segmentation_overlays"].load(), Figure)
    print(f"segmentation pipeline on 4+2 phantoms: {seconds:.1f} s, {fold['mean_epoch_seconds']:.1f} s/epoch")


def test_a_killed_fold_resumes_from_its_last_checkpoint(phantom_nnunet_raw, tiny):
    """Train one epoch, pretend the run died after it (only checkpoint_latest left), train on to two."""
    plan = prepare_nnunet_dataset(phantom_nnunet_raw, tiny.nnunet, tiny.planning)
    training = tiny.training.model_copy(update={"num_epochs": 1, "save_every": 1, "continue_training": False})
    first, curves = train_nnunet_fold(plan, tiny.nnunet, training, slot="all")
    assert curves["train_losses"] == [{"value": first["history"]["train_losses"][0], "step": 0}]
    fold_dir = Path(first["model_dir"]) / "fold_all"
    (fold_dir / "checkpoint_final.pth").rename(fold_dir / "checkpoint_latest.pth")
    resumed, _ = train_nnunet_fold(plan, tiny.nnunet, training.model_copy(update={"num_epochs": 2,
                                                                               "continue_training": True}), slot="all")
    assert len(resumed["history"]["train_losses"]) == 2  # epoch 0 restored from the checkpoint, epoch 1 trained
    assert resumed["history"]["train_losses"][0] == first["history"]["train_losses"][0]
    assert "checkpoint_final.pth" in resumed["checkpoints"] and "checkpoint_latest.pth" not in resumed["checkpoints"]

"""No stale nnU-Net state: plans, preprocessed data, splits and folds follow the raw dataset's content;
folds are by subject."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.nnunet.dataset_digest import StaleNnUNetStateError, raw_dataset_digest
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess, write_subject_splits
from axondeepsynth.nnunet.training import TrainingSettings, train_fold

TRAINING = TrainingSettings(num_epochs=1, iterations_per_epoch=2, val_iterations_per_epoch=1, save_every=100,
                            device="cpu", validate=False)


def _plan(base: Path, **settings) -> dict:
    return plan_and_preprocess(base, 523, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1, **settings))


def _train(base: Path, plan: dict, fold: int | str = "all") -> dict:
    return train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], fold, TRAINING, 1,
                      raw_dataset_digest=plan["raw_dataset_digest"])


def _change_one_training_image(dataset_dir: Path) -> None:
    """Re-export stand-in: the same file names and sizes, other pixels (a flipped image)."""
    path = sorted((dataset_dir / "imagesTr").iterdir())[0]
    with Image.open(path) as image:
        flipped = np.ascontiguousarray(np.asarray(image)[::-1])
    Image.fromarray(flipped).save(path)


def test_a_changed_raw_dataset_is_replanned_and_retrained_or_refused(phantom_root, tmp_path, export_raw):
    base = tmp_path / "nnunet"
    export_raw(phantom_root / "sem_bids", base, 523, "PHANTOM_SEM", test_fraction=0.34)
    plan = _plan(base)
    dataset_dir = base / "nnUNet_raw" / plan["dataset_name"]
    plans_file = base / "nnUNet_preprocessed" / plan["dataset_name"] / f"{plan['plans_identifier']}.json"
    assert plan["raw_dataset_digest"] == raw_dataset_digest(dataset_dir)
    assert plan["num_folds"] == 2  # 4 training images of 2 subjects: one subject per fold
    with pytest.raises(ValueError, match=r"fold 3 does not exist.*folds 0-1.*segmentation\.training\.folds"):
        _train(base, plan, fold=3)
    assert _train(base, plan)["history"]

    planned_at = plans_file.stat().st_mtime_ns
    unchanged = _plan(base)
    assert unchanged["raw_dataset_digest"] == plan["raw_dataset_digest"]
    assert plans_file.stat().st_mtime_ns == planned_at  # reused: nothing changed
    assert _train(base, unchanged)["history"] == {}  # the finished fold is reused

    _change_one_training_image(dataset_dir)
    with pytest.raises(StaleNnUNetStateError, match=rf"'{dataset_dir}' changed.*on_dataset_change: replan"):
        _plan(base, on_dataset_change="stop")
    assert plans_file.stat().st_mtime_ns == planned_at  # refused before touching anything

    replanned = _plan(base)
    assert replanned["raw_dataset_digest"] != plan["raw_dataset_digest"]
    assert plans_file.stat().st_mtime_ns > planned_at
    retrained = _train(base, replanned)
    assert retrained["history"] and retrained["raw_dataset_digest"] == replanned["raw_dataset_digest"]


def test_cross_validation_folds_keep_each_subject_together(real_data_dir, tmp_path, export_raw):
    dataset_dir, _ = export_raw(real_data_dir / "sem_bids", tmp_path, 524, "SEM", test_fraction=0.0, pixel_size_um=1.0)
    paths = activate_nnunet_environment(tmp_path, 1)
    folds = write_subject_splits(paths, dataset_dir, raw_dataset_digest(dataset_dir))
    saved = json.loads((paths.preprocessed / "Dataset524_SEM" / "splits_final.json").read_text())
    assert saved == folds and len(folds) == 5  # 7 samples of 5 subjects
    cases = json.loads((dataset_dir / "dataset.json").read_text())["axondeepsynth"]["cases"]
    for fold in folds:
        assert sorted(fold["train"] + fold["val"]) == sorted(cases)
        train_subjects = {cases[c]["subject"] for c in fold["train"]}
        assert not train_subjects & {cases[c]["subject"] for c in fold["val"]}
    assert any(sorted(fold["val"]) == sorted(c for c in cases if "rat3" in c) for fold in folds)

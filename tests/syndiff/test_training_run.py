"""Whole training runs on one rank: kill-and-resume exactness and the refusals around it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import torch

from axondeepsynth.syndiff.checkpoints import CheckpointArchitectureError, CheckpointNotFoundError, CheckpointStore
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.training_run import ExperimentExistsError, TrainingJob, TrainingSettings, train_on_rank
from axondeepsynth.syndiff.validation import ValidationSet

CPU = DistributedContext(device=torch.device("cpu"))


def _job(images, config, root: Path, **settings: Any) -> TrainingJob:
    validation = ValidationSet.from_images(images, None, ("sem", "tem"), 64, limit=1)
    settings.setdefault("cpu_threads", 1)  # the default follows the machine's load; resumes compare bit for bit
    settings.setdefault("precision", "fp32")
    run = TrainingSettings("exp", "sem", "tem", seed=3, max_steps_per_epoch=1, save_ckpt_every=1, **settings)
    return TrainingJob(images["sem"], images["tem"], validation, CheckpointStore(root), config, run)


def _assert_identical(a: Any, b: Any, where: str = "state") -> None:
    if isinstance(a, torch.Tensor):
        assert torch.equal(a, b), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _assert_identical(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_identical(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def test_killed_and_resumed_run_equals_an_uninterrupted_one(unpaired_images, micro_config, tmp_path: Path) -> None:
    straight = train_on_rank(_job(unpaired_images, micro_config, tmp_path / "a"), CPU)
    first_half = train_on_rank(_job(unpaired_images, micro_config, tmp_path / "b", max_epochs_per_run=1), CPU)
    assert first_half.epochs_completed == 1 and straight.epochs_completed == 2
    torch.manual_seed(999)  # whatever happened in between must not matter
    resumed = train_on_rank(_job(unpaired_images, micro_config, tmp_path / "b", resume=True), CPU)
    assert resumed.epochs_completed == 2 and resumed.global_step == straight.global_step == 2
    state_a = CheckpointStore(tmp_path / "a").load_resume_state("exp")
    state_b = CheckpointStore(tmp_path / "b").load_resume_state("exp")
    _assert_identical(state_a["trainer"], state_b["trainer"], "trainer")
    assert [h["loss_g_total"] for h in state_a["history"]] == [h["loss_g_total"] for h in state_b["history"]]
    assert resumed.checkpoint_epochs == [1, 2]
    assert resumed.last_validation.metrics.keys() == {
        "val_cycle_psnr_sem", "val_cycle_ssim_sem", "val_cycle_psnr_tem", "val_cycle_ssim_tem"}


def test_resume_refusals(unpaired_images, micro_config, tmp_path: Path) -> None:
    with pytest.raises(CheckpointNotFoundError, match="no resume state"):
        train_on_rank(_job(unpaired_images, micro_config, tmp_path, resume=True), CPU)
    train_on_rank(_job(unpaired_images, micro_config, tmp_path, max_epochs_per_run=1), CPU)
    with pytest.raises(ExperimentExistsError, match="resume: true .* overwrite: true"):
        train_on_rank(_job(unpaired_images, micro_config, tmp_path), CPU)
    wider = dataclasses.replace(micro_config, model=dataclasses.replace(micro_config.model, ngf=16))
    with pytest.raises(CheckpointArchitectureError, match="ngf: checkpoint 8 vs config 16"):
        train_on_rank(_job(unpaired_images, wider, tmp_path, resume=True), CPU)



def test_run_settings_refuse_unknown_epoch_definition_and_precision() -> None:
    from axondeepsynth.syndiff.config import ConfigError
    from axondeepsynth.syndiff.precision import PrecisionError

    with pytest.raises(ConfigError, match="epoch_definition must be one of"):
        TrainingSettings("exp", "sem", "tem", epoch_definition="per_tile")
    with pytest.raises(PrecisionError, match="precision must be one of"):
        TrainingSettings("exp", "sem", "tem", precision="fp16")
    assert TrainingSettings("exp", "sem", "tem", channels_last="true").channels_last == "true"


def test_original_epoch_definition_runs_one_crop_per_image(unpaired_images, micro_config, tmp_path: Path) -> None:
    job = _job(unpaired_images, micro_config, tmp_path, epoch_definition="original", max_epochs_per_run=1)
    job.settings = dataclasses.replace(job.settings, max_steps_per_epoch=None)
    outcome = train_on_rank(job, CPU)
    images = max(len(unpaired_images["sem"]), len(unpaired_images["tem"]))
    assert outcome.global_step == images // micro_config.optimization.batch_size

"""SynDiffTrainer on real SEM/TEM crops with the micro configuration."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.trainer import NonFiniteLossError, SynDiffTrainer


def _reconstruction_l1(trainer: SynDiffTrainer, sem: torch.Tensor, tem: torch.Tensor) -> float:
    """Cycle L1 + diffusive-reconstruction L1 of both directions with fixed noise (no update)."""
    nets, schedule = trainer.nets, trainer.schedule
    torch.manual_seed(123)
    total = 0.0
    with torch.no_grad():
        for real, a_to_b, b_to_a, diffusive in (
            (sem, "gen_non_diffusive_1to2", "gen_non_diffusive_2to1", "gen_diffusive_1"),
            (tem, "gen_non_diffusive_2to1", "gen_non_diffusive_1to2", "gen_diffusive_2"),
        ):
            translated = nets[a_to_b](real)
            total += F.l1_loss(nets[b_to_a](translated), real).item()
            t = torch.tensor([1, 2])
            _, x_tp1 = schedule.q_sample_pairs(real, t)
            z = torch.randn(real.shape[0], trainer.config.model.nz)
            total += F.l1_loss(nets[diffusive](torch.cat([x_tp1, translated], 1), t, z), real).item()
    return total


def test_training_steps_decrease_the_reconstruction_loss(micro_config, real_crops) -> None:
    torch.manual_seed(0)
    trainer = SynDiffTrainer(build_networks(micro_config.model), micro_config)
    sem, tem = real_crops
    before = _reconstruction_l1(trainer, sem, tem)
    records = [trainer.train_step(sem, tem) for _ in range(10)]
    after = _reconstruction_l1(trainer, sem, tem)
    assert after < 0.97 * before  # about 7% lower after 10 steps at the published learning rates
    assert records[0]["d_r1_penalty"] > 0 and records[1]["d_r1_penalty"] == 0  # lazy R1: steps 0, 10, ...
    assert trainer.global_step == 10
    # EMA generators moved towards the trained weights but lag behind them.
    live = trainer.nets["gen_diffusive_1"].state_dict()
    ema = trainer.ema["gen_diffusive_1"].state_dict()
    assert any(not torch.equal(live[k], ema[k]) for k in live)
    assert all(not p.requires_grad and p.grad_fn is None for p in trainer.ema["gen_diffusive_1"].parameters())


@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before:UserWarning")
def test_learning_rate_decays_per_epoch_to_the_floor(micro_config) -> None:
    trainer = SynDiffTrainer(build_networks(micro_config.model), micro_config)
    opt = micro_config.optimization
    assert trainer.optimizers["generators"].param_groups[0]["lr"] == opt.lr_g
    for _ in range(opt.num_epochs):
        trainer.end_epoch()
    assert trainer.optimizers["generators"].param_groups[0]["lr"] == opt.lr_min
    assert trainer.optimizers["disc_diffusive"].param_groups[0]["lr"] == opt.lr_min
    assert trainer.epoch == opt.num_epochs


def test_nan_loss_stops_with_the_epoch(micro_config, real_crops) -> None:
    trainer = SynDiffTrainer(build_networks(micro_config.model), micro_config)
    trainer.epoch = 3  # three epochs done: the fourth is running
    sem, tem = real_crops
    corrupted = sem.clone()
    corrupted[0, 0, 5, 5] = float("nan")
    with pytest.raises(NonFiniteLossError, match=r"epoch 4 \(step 1\)"):
        trainer.train_step(corrupted, tem)

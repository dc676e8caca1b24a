"""Validation scores the generators without changing the mode training continues in."""

from __future__ import annotations

import dataclasses

import torch

from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.trainer import SynDiffTrainer
from axondeepsynth.syndiff.validation import ValidationSet, validate


def test_validation_gives_live_generators_back_in_train_mode(micro_config, unpaired_images) -> None:
    optimization = dataclasses.replace(micro_config.optimization, use_ema=False)
    config = dataclasses.replace(micro_config, optimization=optimization)
    trainer = SynDiffTrainer(build_networks(config.model), config)
    generators = trainer.generators_for_inference()
    assert generators["gen_diffusive_1"] is trainer.nets["gen_diffusive_1"]  # live networks without EMA
    generators["gen_diffusive_2"].eval()  # a mode that must survive as well
    before = {name: [m.training for m in net.modules()] for name, net in generators.items()}
    validation_set = ValidationSet.from_images(unpaired_images, None, ("sem", "tem"), 64, limit=1)
    result = validate(generators, config.diffusion, ("sem", "tem"), validation_set, "cpu")
    expected = {"val_cycle_psnr_sem", "val_cycle_ssim_sem", "val_cycle_psnr_tem", "val_cycle_ssim_tem"}
    assert set(result.metrics) == expected
    after = {name: [m.training for m in net.modules()] for name, net in generators.items()}
    assert after == before
    assert all(before["gen_diffusive_1"]) and not any(before["gen_diffusive_2"])
    assert all(p.requires_grad for p in trainer.nets["gen_diffusive_1"].parameters())
    assert torch.is_grad_enabled()

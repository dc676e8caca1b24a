"""Precision and layout chosen per device, and a bf16 training step that keeps float32 state."""

from __future__ import annotations

import pytest
import torch

from axondeepsynth.syndiff import precision
from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.precision import ComputeSettings, PrecisionError, resolve_compute
from axondeepsynth.syndiff.trainer import SynDiffTrainer

CPU = torch.device("cpu")


def test_auto_follows_this_cpus_bf16_units() -> None:
    resolved = resolve_compute("auto", "auto", CPU)
    fast = precision.cpu_has_amx_bf16()
    assert (resolved.autocast_dtype is torch.bfloat16) == fast
    assert resolved.channels_last == fast


def test_auto_picks_bf16_and_channels_last_on_a_cpu_with_amx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precision, "cpu_has_amx_bf16", lambda: True)
    assert resolve_compute("auto", "auto", CPU) == ComputeSettings(torch.bfloat16, True)
    monkeypatch.setattr(precision, "cpu_has_amx_bf16", lambda: False)
    assert resolve_compute("auto", "auto", CPU) == ComputeSettings(None, False)


def test_explicit_settings_win_over_the_device() -> None:
    assert resolve_compute("fp32", "auto", CPU) == ComputeSettings(None, False)
    assert resolve_compute("bf16", "auto", CPU) == ComputeSettings(torch.bfloat16, True)
    assert resolve_compute("BF16", "false", CPU) == ComputeSettings(torch.bfloat16, False)
    assert resolve_compute("fp32", True, CPU) == ComputeSettings(None, True)


@pytest.mark.parametrize(("value", "layout", "named"),
                         [("fp16", "auto", "precision"), ("auto", "yes", "channels_last")])
def test_bad_values_name_the_setting_and_the_choices(value: str, layout: str, named: str) -> None:
    with pytest.raises(PrecisionError, match=named):
        resolve_compute(value, layout, CPU)


def test_bf16_training_step_keeps_weights_optimiser_and_ema_in_float32(micro_config, real_crops) -> None:
    torch.manual_seed(0)
    trainer = SynDiffTrainer(build_networks(micro_config.model), micro_config,
                             compute=ComputeSettings(torch.bfloat16, True))
    losses = [trainer.train_step(*real_crops) for _ in range(2)]
    assert all(torch.isfinite(torch.tensor(list(record.values()))).all() for record in losses)
    assert losses[0]["d_r1_penalty"] > 0
    for name, net in trainer.iter_modules():
        assert all(p.dtype == torch.float32 for p in net.parameters()), name
    states = [s for o in trainer.optimizers.values() for s in o.state.values()]
    assert states and all(s["exp_avg"].dtype == torch.float32 for s in states)
    conv = trainer.nets["gen_diffusive_1"].input_conv.weight
    assert conv.is_contiguous(memory_format=torch.channels_last)

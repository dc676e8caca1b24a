"""The diffusive generator: shapes at every supported tile size, gradients, inputs, size."""

from __future__ import annotations

import logging

import pytest
import torch

from axondeepsynth.syndiff.config import ModelConfig, preset
from axondeepsynth.syndiff.networks import NCSNppGenerator
from axondeepsynth.syndiff.networks.attention import SelfAttention2d

logger = logging.getLogger(__name__)

ORIGINAL_DEFAULT_PARAMETERS = 39.7e6
"""One diffusive generator of the original code at its published configuration (BASELINES.md)."""
ORIGINAL_TINY_PARAMETERS = 4.7e6
"""The original generator at width 32, ch_mult 1 2 2 2 (BASELINES.md)."""


def _tiny(image_size: int) -> ModelConfig:
    return preset("tiny", {"model": {"image_size": image_size}}).model


def _inputs(real_tiles, size: int, batch: int, nz: int) -> tuple[torch.Tensor, ...]:
    """(x_{t+1} = noised TEM target, SEM source), steps, latents."""
    torch.manual_seed(0)
    target = real_tiles("tem", size, batch)
    noisy = 0.6 * target + 0.8 * torch.randn_like(target)
    x = torch.cat([noisy, real_tiles("sem", size, batch)], dim=1)
    return x, torch.arange(batch) % 4, torch.randn(batch, nz)


@pytest.mark.parametrize(("size", "batch"), [(64, 2), (256, 1)])
def test_gradients_reach_every_parameter(real_tiles, size: int, batch: int) -> None:
    config = _tiny(size)
    generator = NCSNppGenerator(config)
    x, t, z = _inputs(real_tiles, size, batch, config.nz)
    out = generator(x, t, z)
    assert out.shape == (batch, 1, size, size)
    assert out.abs().max() < 1
    (out - real_tiles("tem", size, batch)).abs().mean().backward()
    missing = [name for name, p in generator.named_parameters()
               if p.grad is None or not torch.isfinite(p.grad).all() or p.grad.abs().sum() == 0]
    assert not missing


@pytest.mark.parametrize("size", [96, 160])
def test_tile_sizes_that_are_not_powers_of_two(real_tiles, size: int) -> None:
    config = _tiny(size)
    generator = NCSNppGenerator(config).eval()
    x, t, z = _inputs(real_tiles, size, 1, config.nz)
    with torch.no_grad():
        assert generator(x, t, z).shape == (1, 1, size, size)


@pytest.mark.parametrize(("size", "expected"), [(64, 4), (256, 1), (96, 1)])
def test_attention_sits_where_the_feature_map_is_16_pixels(size: int, expected: int) -> None:
    """Two encoder blocks and one decoder level at 16 px, plus the middle block, else middle."""
    generator = NCSNppGenerator(_tiny(size))
    assert sum(isinstance(m, SelfAttention2d) for m in generator.modules()) == expected


def test_latent_and_step_change_the_prediction(real_tiles) -> None:
    config = _tiny(64)
    generator = NCSNppGenerator(config).eval()
    with torch.no_grad():  # move the residual branches off their near-zero initialisation
        for p in generator.parameters():
            p.add_(0.05 * torch.randn_like(p))
    x, t, z = _inputs(real_tiles, 64, 2, config.nz)
    with torch.no_grad():
        base = generator(x, t, z)
        assert not torch.allclose(base, generator(x, t, torch.randn_like(z)), atol=1e-4)
        assert not torch.allclose(base, generator(x, (t + 1) % 4, z), atol=1e-4)


def test_channels_last_matches_contiguous(real_tiles) -> None:
    config = _tiny(64)
    generator = NCSNppGenerator(config).eval()
    x, t, z = _inputs(real_tiles, 64, 2, config.nz)
    with torch.no_grad():
        expected = generator(x, t, z)
        generator.to(memory_format=torch.channels_last)
        got = generator(x.contiguous(memory_format=torch.channels_last), t, z)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize(("shape", "message"), [((1, 1, 64, 64), "x must be"),
                                                ((1, 2, 60, 64), "multiples of 8")])
def test_bad_inputs_are_explained(shape: tuple[int, ...], message: str) -> None:
    generator = NCSNppGenerator(_tiny(64))
    with pytest.raises(ValueError, match=message):
        generator(torch.zeros(shape), torch.zeros(1, dtype=torch.long), torch.zeros(1, 100))
    with pytest.raises(ValueError, match="z must be"):
        generator(torch.zeros(1, 2, 64, 64), torch.zeros(1, dtype=torch.long), torch.zeros(1, 5))


@pytest.mark.parametrize(("name", "original"), [("default", ORIGINAL_DEFAULT_PARAMETERS),
                                                ("tiny", ORIGINAL_TINY_PARAMETERS)])
def test_parameter_count_matches_the_original(name: str, original: float) -> None:
    count = sum(p.numel() for p in NCSNppGenerator(preset(name).model).parameters())
    logger.info("%s diffusive generator: %.2f M parameters (original %.1f M)", name, count / 1e6,
                original / 1e6)
    assert abs(count - original) / original < 0.10


@pytest.mark.slow
def test_default_generator_runs_at_256_pixels(real_tiles) -> None:
    config = preset("default").model
    generator = NCSNppGenerator(config)
    x, t, z = _inputs(real_tiles, 256, 1, config.nz)
    out = generator(x, t, z)
    out.mean().backward()
    assert out.shape == (1, 1, 256, 256)


@pytest.mark.parametrize("size", [512, pytest.param(1024, marks=pytest.mark.slow)])
def test_large_tiles_with_the_published_levels(size: int) -> None:
    """Six levels as published, a narrow width so the large tile stays cheap on a CPU."""
    config = ModelConfig(image_size=size, num_channels=8, nz=8, z_emb_dim=16)
    generator = NCSNppGenerator(config).eval()
    with torch.no_grad():
        out = generator(torch.zeros(1, 2, size, size), torch.zeros(1, dtype=torch.long),
                        torch.zeros(1, 8))
    assert out.shape == (1, 1, size, size)


@pytest.mark.parametrize("overrides", [{"resblock_type": "biggan_oneadagn"},
                                       {"dropout": 0.1, "skip_rescale": False},
                                       {"fir_kernel": [1, 1]}])
def test_architecture_variants_build_and_run(real_tiles, overrides: dict) -> None:
    config = preset("tiny", {"model": overrides}).model
    generator = NCSNppGenerator(config)
    x, t, z = _inputs(real_tiles, 64, 1, config.nz)
    assert generator(x, t, z).shape == (1, 1, 64, 64)
    if overrides.get("resblock_type") == "biggan_oneadagn":
        default_count = sum(p.numel() for p in NCSNppGenerator(_tiny(64)).parameters())
        assert sum(p.numel() for p in generator.parameters()) < default_count

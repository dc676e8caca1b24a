"""The non-diffusive CycleGAN generator: shapes, output range, gradients, size checks."""

from __future__ import annotations

import pytest
import torch

from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.networks import ResnetGenerator


@pytest.mark.parametrize(("size", "batch"), [(64, 2), (96, 1), (160, 1), (256, 1)])
def test_translation_keeps_the_tile_shape(real_tiles, size: int, batch: int) -> None:
    generator = ResnetGenerator.from_config(preset("tiny").model)
    sem = real_tiles("sem", size, batch)
    fake_tem = generator(sem)
    assert fake_tem.shape == sem.shape
    assert fake_tem.abs().max() < 1
    (fake_tem - real_tiles("tem", size, batch)).abs().mean().backward()
    missing = [name for name, p in generator.named_parameters()
               if p.grad is None or p.grad.abs().sum() == 0]
    assert not missing


def test_published_width_has_the_cyclegan_size() -> None:
    generator = ResnetGenerator(ngf=64, n_blocks=6)
    assert sum(p.numel() for p in generator.parameters()) == pytest.approx(7.83e6, rel=0.01)


def test_sizes_not_divisible_by_four_are_refused() -> None:
    with pytest.raises(ValueError, match="multiples of 4"):
        ResnetGenerator(ngf=8, n_blocks=1)(torch.zeros(1, 1, 66, 64))

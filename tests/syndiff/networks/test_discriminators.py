"""Both discriminators: logits of the right shape for every tile size, any batch, gradients."""

from __future__ import annotations

import pytest
import torch

from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.networks import PatchGANDiscriminator, TimeConditionedDiscriminator
from axondeepsynth.syndiff.networks.time_conditioned_discriminator import minibatch_stddev


def _assert_every_parameter_has_a_gradient(network: torch.nn.Module) -> None:
    missing = [name for name, p in network.named_parameters()
               if p.grad is None or not torch.isfinite(p.grad).all() or p.grad.abs().sum() == 0]
    assert not missing


@pytest.mark.parametrize(("size", "batch"), [(64, 2), (96, 6), (160, 3), (256, 1)])
def test_time_conditioned_discriminator_gives_one_logit_per_sample(real_tiles, size: int,
                                                                    batch: int) -> None:
    config = preset("tiny", {"model": {"image_size": size}}).model
    discriminator = TimeConditionedDiscriminator(config)
    x_t = real_tiles("tem", size, batch)
    x_tp1 = 0.9 * x_t + 0.4 * torch.randn_like(x_t)
    logits = discriminator(x_t.requires_grad_(), torch.arange(batch) % 4, x_tp1)
    assert logits.shape == (batch, 1)
    logits.sum().backward()
    _assert_every_parameter_has_a_gradient(discriminator)
    assert x_t.grad is not None and x_t.grad.abs().sum() > 0  # what R1 differentiates


def test_discriminator_depth_follows_the_config() -> None:
    config = preset("tiny", {"model": {"image_size": 256, "disc_downsamples": 3}}).model
    discriminator = TimeConditionedDiscriminator(config)
    assert len(discriminator.blocks) == 3
    assert discriminator(torch.zeros(1, 1, 256, 256), torch.zeros(1, dtype=torch.long),
                         torch.zeros(1, 1, 256, 256)).shape == (1, 1)


@pytest.mark.parametrize("size", [256, 512])
def test_published_discriminator_has_the_originals_six_blocks_and_size(size: int) -> None:
    # Discriminator_large of icon-lab/SynDiff: 6 FIR-downsampling blocks at any tile size,
    # 27.7 M parameters with ngf 64 and t_emb_dim 256 (7 blocks at 512 px would be 32.9 M).
    discriminator = TimeConditionedDiscriminator(preset("default", {"model": {"image_size": size}}).model)
    assert len(discriminator.blocks) == 6
    assert round(sum(p.numel() for p in discriminator.parameters()) / 1e6, 1) == 27.7


def test_minibatch_stddev_sees_diversity_within_groups() -> None:
    identical = torch.ones(4, 3, 2, 2).mul(torch.randn(1, 3, 2, 2))
    varied = torch.randn(4, 3, 2, 2)
    assert minibatch_stddev(identical)[:, -1].max() < 1e-3
    assert minibatch_stddev(varied)[:, -1].min() > 0.1
    assert minibatch_stddev(torch.randn(5, 3, 2, 2)).shape == (5, 4, 2, 2)


def test_time_conditioned_discriminator_refuses_mismatched_inputs() -> None:
    discriminator = TimeConditionedDiscriminator(preset("tiny").model)
    with pytest.raises(ValueError, match="x_tp1"):
        discriminator(torch.zeros(1, 1, 64, 64), torch.zeros(1, dtype=torch.long),
                      torch.zeros(1, 2, 64, 64))


@pytest.mark.parametrize(("size", "patches"), [(64, 6), (96, 10), (256, 30)])
def test_patchgan_scores_overlapping_patches(real_tiles, size: int, patches: int) -> None:
    discriminator = PatchGANDiscriminator(ndf=16)
    tiles = real_tiles("sem", size, 2)
    logits = discriminator(tiles)
    assert logits.shape == (2, 1, patches, patches)
    logits.mean().backward()
    _assert_every_parameter_has_a_gradient(discriminator)


def test_patchgan_refuses_tiles_smaller_than_its_receptive_stride() -> None:
    with pytest.raises(ValueError, match="H, W >= 24"):
        PatchGANDiscriminator(ndf=8)(torch.zeros(1, 1, 16, 16))


def test_r1_penalty_can_be_backpropagated(real_tiles) -> None:
    """R1 differentiates the logits w.r.t. x_t, then the penalty w.r.t. the weights."""
    discriminator = TimeConditionedDiscriminator(preset("tiny").model)
    x_t = real_tiles("sem", 64, 2).requires_grad_()
    logits = discriminator(x_t, torch.tensor([0, 3]), x_t.detach() + 0.1)
    (grad,) = torch.autograd.grad(logits.sum(), x_t, create_graph=True)
    penalty = grad.square().flatten(1).sum(1).mean()
    penalty.backward()
    assert discriminator.input_conv.weight.grad.abs().sum() > 0
    assert discriminator.blocks[0].conv_0.weight.grad.abs().sum() > 0

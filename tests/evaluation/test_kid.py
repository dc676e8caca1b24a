"""KID on the real samples: two halves of the SEM set are closer to each other than SEM is to TEM.

The encoder is nnU-Net's 2-D ``PlainConvUNet`` (the architecture the project's planner builds)
with seeded random weights: training one takes minutes, and random convolutional features
already separate distributions (the trained encoder is what the experiment uses).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from dynamic_network_architectures.architectures.unet import PlainConvUNet
from torch import nn

from axondeepsynth.evaluation.kid import EncoderFeatures, kernel_inception_distance, kid_between_images, random_patches
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images


@pytest.fixture(scope="module")
def encoder_features() -> EncoderFeatures:
    torch.manual_seed(0)
    network = PlainConvUNet(
        input_channels=1, n_stages=4, features_per_stage=[16, 32, 64, 128], conv_op=nn.Conv2d,
        kernel_sizes=3, strides=[1, 2, 2, 2], n_conv_per_stage=2, num_classes=3,
        n_conv_per_stage_decoder=1, norm_op=nn.InstanceNorm2d, norm_op_kwargs={"affine": True},
        nonlin=nn.LeakyReLU, nonlin_kwargs={"inplace": True},
    )
    return EncoderFeatures(network)


def _images(root: Path, modality: str) -> list[np.ndarray]:
    return [read_grayscale(record.path) for record in discover_images(root, modality=modality)]


def test_features_pool_every_encoder_stage(encoder_features: EncoderFeatures) -> None:
    features = encoder_features(torch.zeros(3, 1, 64, 64))
    assert features.shape == (3, 16 + 32 + 64 + 128)


def test_stages_that_would_shrink_a_patch_below_two_pixels_are_left_out(encoder_features: EncoderFeatures) -> None:
    """Strides 1, 2, 2, 2: a 16 px patch keeps 2 px at the last stage; an 8 px one would reach 1 px there."""
    assert encoder_features(torch.zeros(2, 1, 16, 16)).shape == (2, 16 + 32 + 64 + 128)
    assert encoder_features(torch.zeros(2, 1, 8, 8)).shape == (2, 16 + 32 + 64), "8 px: the 1 px stage is left out"
    torch.manual_seed(0)
    deep = PlainConvUNet(  # as deep as nnU-Net plans for the demo's large patches: a 64 px patch reaches 1 px
        input_channels=1, n_stages=7, features_per_stage=[8, 16, 32, 32, 32, 32, 32], conv_op=nn.Conv2d,
        kernel_sizes=3, strides=[1, 2, 2, 2, 2, 2, 2], n_conv_per_stage=1, num_classes=3,
        n_conv_per_stage_decoder=1, norm_op=nn.InstanceNorm2d, norm_op_kwargs={"affine": True},
        nonlin=nn.LeakyReLU, nonlin_kwargs={"inplace": True},
    )
    assert EncoderFeatures(deep)(torch.zeros(2, 1, 64, 64)).shape == (2, 8 + 16 + 32 * 4)


def test_sem_split_is_closer_than_tem(real_data_dir: Path, encoder_features: EncoderFeatures) -> None:
    torch.set_num_threads(1)
    sem = _images(real_data_dir / "sem_bids", "sem")
    tem = _images(real_data_dir / "tem_bids", "tem")
    first, second = sem[0::2], sem[1::2]
    same = kid_between_images(first, second, encoder_features, patch_size=64, patches_per_image=24)
    across = kid_between_images(first, tem, encoder_features, patch_size=64, patches_per_image=24)
    assert same.mean < across.mean, (same, across)
    assert across.mean > 3 * max(same.mean, 0.0) + across.std


def test_random_patches_and_subset_checks(real_data_dir: Path, encoder_features: EncoderFeatures) -> None:
    tem = _images(real_data_dir / "tem_bids", "tem")
    patches = random_patches(tem, 32, 5, seed=3)
    assert patches.shape == (5, 1, 32, 32) and patches.dtype == np.uint8
    np.testing.assert_array_equal(patches, random_patches(tem, 32, 5, seed=3))
    with pytest.raises(ValueError, match="patch_size"):
        random_patches(tem, 5000, 1)
    with pytest.raises(ValueError, match="subset_size"):
        kernel_inception_distance(patches, patches, encoder_features, subset_size=6)

"""FIR resampling as convolutions agrees with the upfirdn definition and keeps flat areas flat."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from axondeepsynth.syndiff.networks.fir_resampling import (
    FirDownsample,
    FirDownsampleConv,
    FirUpsample,
    fir_kernel_2d,
)

KERNELS = [(1, 3, 3, 1), (1, 1), (1, 5, 10, 10, 5, 1)]


def _upfirdn_1d(signal: np.ndarray, taps: np.ndarray, up: int, down: int,
                pad: tuple[int, int]) -> np.ndarray:
    """The definition: zero-stuff by `up`, zero-pad, convolve ('valid'), keep every `down`-th."""
    stuffed = np.zeros(len(signal) * up)
    stuffed[::up] = signal
    padded = np.pad(stuffed, pad)
    return np.convolve(padded, taps, mode="valid")[::down]


def _upfirdn_2d(image: np.ndarray, taps: tuple[int, ...], up: int, down: int,
                pad: tuple[int, int]) -> np.ndarray:
    taps_1d = np.asarray(taps, dtype=np.float64) / sum(taps) * up
    rows = np.stack([_upfirdn_1d(row, taps_1d, up, down, pad) for row in image])
    return np.stack([_upfirdn_1d(col, taps_1d, up, down, pad) for col in rows.T]).T


@pytest.mark.parametrize("taps", KERNELS)
def test_downsample_matches_the_upfirdn_definition(taps: tuple[int, ...]) -> None:
    image = np.random.default_rng(0).normal(size=(12, 16))
    p = len(taps) - 2
    expected = _upfirdn_2d(image, taps, up=1, down=2, pad=((p + 1) // 2, p // 2))
    got = FirDownsample(taps)(torch.from_numpy(image).float()[None, None])[0, 0].double().numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize("taps", KERNELS)
def test_upsample_matches_the_upfirdn_definition(taps: tuple[int, ...]) -> None:
    image = np.random.default_rng(1).normal(size=(6, 8))
    p = len(taps) - 2
    expected = _upfirdn_2d(image, taps, up=2, down=1, pad=((p + 1) // 2 + 1, p // 2))
    got = FirUpsample(taps)(torch.from_numpy(image).float()[None, None])[0, 0].double().numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_downsample_conv_is_blur_then_strided_conv() -> None:
    layer = FirDownsampleConv(2, 3)
    x = torch.randn(1, 2, 16, 16)
    blurred = F.pad(x, (2, 2, 2, 2))
    kernel = fir_kernel_2d((1, 3, 3, 1)).expand(2, 1, 4, 4)
    blurred = F.conv2d(blurred, kernel, groups=2)
    expected = F.conv2d(blurred, layer.weight, layer.bias, stride=2)
    out = layer(x)
    assert out.shape == (1, 3, 8, 8)
    torch.testing.assert_close(out, expected)


def test_constant_image_stays_constant_away_from_the_zero_padded_border() -> None:
    flat = torch.full((1, 3, 32, 32), 0.7)
    down = FirDownsample()(flat)
    up = FirUpsample()(flat)
    assert down.shape == (1, 3, 16, 16) and up.shape == (1, 3, 64, 64)
    torch.testing.assert_close(down[..., 1:-1, 1:-1], torch.full_like(down[..., 1:-1, 1:-1], 0.7))
    torch.testing.assert_close(up[..., 1:-1, 1:-1], torch.full_like(up[..., 1:-1, 1:-1], 0.7))
    assert down[0, 0, 0, 0] < 0.7  # the border sees zeros, as in upfirdn2d


def test_downsampled_micrograph_is_a_low_pass_version_of_it(real_tiles) -> None:
    tile = real_tiles("sem", 128, 1)
    down = FirDownsample()(tile)
    pooled = F.avg_pool2d(tile, 2)
    inner = (slice(None), slice(None), slice(2, -2), slice(2, -2))
    correlation = torch.corrcoef(torch.stack([down[inner].flatten(), pooled[inner].flatten()]))
    assert correlation[0, 1] > 0.95
    assert abs(down[inner].mean() - pooled[inner].mean()) < 0.01
    assert down[inner].std() < pooled[inner].std()  # smoother than a box filter


def test_channels_last_gives_the_same_result() -> None:
    x = torch.randn(2, 4, 16, 16)
    for layer in (FirDownsample(), FirUpsample()):
        torch.testing.assert_close(layer(x.contiguous(memory_format=torch.channels_last)), layer(x))


@pytest.mark.parametrize("taps", [(1, 2, 3, 4), (1, 2, 1), (1,)])
def test_asymmetric_or_odd_kernels_are_refused(taps: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="fir_kernel"):
        fir_kernel_2d(taps)

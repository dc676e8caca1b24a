"""Texture and optics primitives shared by the renderers, specified in micrometres.

Sizes are physical so the same tissue looks the same at any pixel size: a 0.05 um grain is a
few pixels at TEM sampling and averages out at SEM sampling, as it would in a real microscope.
All images here are float32 grey levels on the uint8 scale (0 black .. 255 white) until
:func:`to_uint8`.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

COARSE_GRID_SIGMA_PX = 2.0
"""Noise wider than this many pixels is filtered on a coarser grid (see :func:`smooth_noise`)."""


def smooth_noise(shape: tuple[int, int], grain_um: float, pixel_size_um: float, rng: np.random.Generator) -> np.ndarray:
    """Zero-mean, unit-std Gaussian noise correlated over ``grain_um`` (white below one pixel).

    Coarse grains are filtered on a grid ``step`` times coarser and interpolated back, which
    looks the same and costs a fraction of a wide filter at full resolution.
    """
    sigma_px = grain_um / pixel_size_um
    step = max(1, int(sigma_px // COARSE_GRID_SIGMA_PX))
    coarse_shape = tuple(-(-n // step) + 1 for n in shape)
    noise = rng.standard_normal(coarse_shape).astype(np.float32)
    if sigma_px >= 0.5:
        noise = ndimage.gaussian_filter(noise, sigma_px / step, mode="wrap")
    if step > 1:
        noise = ndimage.zoom(noise, step, order=1, grid_mode=False)
    noise = noise[: shape[0], : shape[1]]
    return (noise - float(noise.mean())) / max(float(noise.std()), 1e-6)


def blur(image: np.ndarray, sigma_um: float, pixel_size_um: float, min_sigma_px: float) -> np.ndarray:
    """Gaussian point-spread function of width ``sigma_um``, never narrower than ``min_sigma_px``."""
    return ndimage.gaussian_filter(image, max(sigma_um / pixel_size_um, min_sigma_px), mode="reflect")


def scatter_dots(
    mask: np.ndarray, per_um2: float, strength_um2: float, pixel_size_um: float, rng: np.random.Generator
) -> np.ndarray:
    """Point-like particles (neurofilaments, ribosomes) dropped uniformly inside ``mask``.

    Each dot carries ``strength_um2`` grey-level x um^2, so its peak is strong at fine pixels and
    averages into a faint mottle at coarse ones. Returns the added grey levels (non-negative).
    """
    dots = np.zeros(mask.shape, np.float32)
    candidates = np.flatnonzero(mask)
    count = rng.poisson(per_um2 * candidates.size * pixel_size_um**2)
    if candidates.size and count:
        np.add.at(dots.reshape(-1), rng.choice(candidates, size=count), strength_um2 / pixel_size_um**2)
    return dots


def cell_membranes(
    mask: np.ndarray, cells_per_um2: float, width_um: float, pixel_size_um: float, rng: np.random.Generator
) -> np.ndarray:
    """Profile (0..1) of thin membranes between random cells (a Voronoi tessellation) inside ``mask``.

    Mimics the glial processes and small unmyelinated axons that fill extracellular space. A
    membrane narrower than a pixel is drawn one pixel wide with a proportionally weaker profile.
    """
    rows, cols = mask.shape
    area_um2 = rows * cols * pixel_size_um**2
    seeds = rng.uniform(0, 1, size=(max(2, rng.poisson(cells_per_um2 * area_um2)), 2)) * [rows, cols]
    points = np.argwhere(mask)
    profile = np.zeros(mask.shape, np.float32)
    if points.size == 0:
        return profile
    distances, _ = cKDTree(seeds).query(points + 0.5, k=2)
    gap_um = (distances[:, 1] - distances[:, 0]) * pixel_size_um
    drawn_um = max(width_um, 0.5 * pixel_size_um)
    profile[mask] = np.exp(-((gap_um / drawn_um) ** 2)) * (width_um / drawn_um)
    return profile


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Round and clip float grey levels to uint8."""
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def jitter_contrast(
    image: np.ndarray, rng: np.random.Generator, gain_spread: float, offset_spread: float
) -> np.ndarray:
    """Per-image gain and offset around mid-grey: acquisitions never share exact brightness."""
    gain = rng.uniform(1 - gain_spread, 1 + gain_spread)
    offset = rng.uniform(-offset_spread, offset_spread)
    return (image - 128.0) * gain + 128.0 + offset

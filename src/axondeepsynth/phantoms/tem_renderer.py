"""TEM-like rendering, modelled on AxonDeepSeg's mouse corpus callosum TEM (transmitted electrons).

What the real image shows (``shared/data/real/tem_bids``, mean grey per class: myelin ~83,
extracellular ~155, axoplasm ~166): very dark myelin with concentric lamellae and a dark major
dense line at its edges; light axoplasm speckled with neurofilament dots and the odd
mitochondrion; light-grey extracellular space crossed by thin membranes; Gaussian detector noise
and a narrow blur.
"""

from __future__ import annotations

import math

import numpy as np

from axondeepsynth.phantoms.rasterise import AXON, MYELIN, TissueRaster
from axondeepsynth.phantoms.textures import (
    blur,
    cell_membranes,
    jitter_contrast,
    scatter_dots,
    smooth_noise,
    to_uint8,
)

LAMELLA_PERIOD_UM = 0.05
"""Drawn period of the myelin banding (real lamellae, ~0.012 um, are finer than any pixel here)."""
OPTICS_SIGMA_UM = 0.015
NOISE_STD = 7.0
MITOCHONDRIA_PER_UM2 = 0.35


def _mitochondria(raster: TissueRaster, inside: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Grey elongated ellipses (~0.1 x 0.4 um) at random spots inside ``inside``; 0..1 profile."""
    p = raster.pixel_size_um
    profile = np.zeros(raster.shape, np.float32)
    candidates = np.flatnonzero(inside)
    count = rng.poisson(MITOCHONDRIA_PER_UM2 * candidates.size * p**2)
    if not candidates.size or not count:
        return profile
    rows, cols = raster.shape
    for centre in rng.choice(candidates, size=count):
        cy, cx = divmod(int(centre), cols)
        half_len = rng.uniform(0.15, 0.35) / p
        half_wid = rng.uniform(0.05, 0.09) / p
        angle = rng.uniform(0, math.pi)
        reach = int(math.ceil(half_len)) + 1
        r0, r1 = max(0, cy - reach), min(rows, cy + reach + 1)
        c0, c1 = max(0, cx - reach), min(cols, cx + reach + 1)
        dy = np.arange(r0, r1)[:, None] - cy
        dx = np.arange(c0, c1)[None, :] - cx
        u = dx * math.cos(angle) + dy * math.sin(angle)
        v = -dx * math.sin(angle) + dy * math.cos(angle)
        rho = np.sqrt((u / half_len) ** 2 + (v / half_wid) ** 2)
        body = (rho <= 1.0) & inside[r0:r1, c0:c1]
        profile[r0:r1, c0:c1][body] = np.maximum(profile[r0:r1, c0:c1][body], (0.6 + 0.4 * rho**4)[body])
    return profile


def render_tem(raster: TissueRaster, rng: np.random.Generator) -> np.ndarray:
    """Render ``raster`` as a TEM-like uint8 image of the same shape."""
    p = raster.pixel_size_um
    shape = raster.shape
    axon = raster.labels == AXON
    myelin = raster.labels == MYELIN
    axoplasm = axon | raster.unmyelinated
    extracellular = raster.fibre_index < 0

    image = 158.0 + 10.0 * smooth_noise(shape, 0.25, p, rng) + 6.0 * smooth_noise(shape, 0.02, p, rng)
    image -= 90.0 * cell_membranes(extracellular, 1.5, 0.012, p, rng)

    period = max(LAMELLA_PERIOD_UM, 2.5 * p)
    bands = np.cos(2 * np.pi * raster.myelin_depth_um / period)
    edge = np.exp(-((raster.myelin_fraction - 1.0) / 0.08) ** 2) + np.exp(-(raster.myelin_fraction / 0.06) ** 2)
    dark = 72.0 + 22.0 * bands + 10.0 * smooth_noise(shape, 0.15, p, rng) - 25.0 * edge
    image[myelin] = dark[myelin]

    mottle = 8.0 * smooth_noise(shape, 0.3, p, rng) + 9.0 * smooth_noise(shape, 0.05, p, rng)
    light = 178.0 + mottle - 55.0 * np.exp(-((raster.axon_radius - 1.0) / 0.04) ** 2)
    image[axoplasm] = light[axoplasm]
    image -= scatter_dots(axoplasm, 60.0, 0.12, p, rng)
    image -= 70.0 * _mitochondria(raster, axon, rng)

    image = jitter_contrast(image, rng, gain_spread=0.1, offset_spread=10.0)
    image = blur(image, OPTICS_SIGMA_UM, p, min_sigma_px=0.6)
    return to_uint8(image + NOISE_STD * rng.standard_normal(shape))

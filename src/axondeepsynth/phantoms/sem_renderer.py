"""SEM-like rendering, modelled on AxonDeepSeg's rat spinal cord SEM (back-scattered electrons).

What the real images show (``shared/data/real/sem_bids``, mean grey per class on sub-rat1:
myelin ~183, extracellular ~128, axoplasm ~92): bright, granular myelin rings; dark, smooth
axoplasm; mid-grey, grainy extracellular space; shot noise and a soft beam blur. This is the
inverse of TEM, where myelin is the darkest structure.
"""

from __future__ import annotations

import numpy as np

from axondeepsynth.phantoms.rasterise import AXON, MYELIN, TissueRaster
from axondeepsynth.phantoms.textures import blur, jitter_contrast, smooth_noise, to_uint8

BEAM_SIGMA_UM = 0.06
"""Width of the electron beam's point-spread function."""
ELECTRONS_AT_WHITE = 90.0
"""Detected electrons per pixel for a white pixel: sets the Poisson (shot) noise level."""


def render_sem(raster: TissueRaster, rng: np.random.Generator) -> np.ndarray:
    """Render ``raster`` as an SEM-like uint8 image of the same shape."""
    p = raster.pixel_size_um
    shape = raster.shape
    image = 120.0 + 15.0 * smooth_noise(shape, 0.3, p, rng) + 10.0 * smooth_noise(shape, 0.05, p, rng)

    myelin = raster.labels == MYELIN
    granular = smooth_noise(shape, 0.05, p, rng)
    ring = np.sin(np.pi * raster.myelin_fraction)
    image[myelin] = (170.0 + 40.0 * ring + 20.0 * granular)[myelin]

    axon = raster.labels == AXON
    shading = smooth_noise(shape, 0.6, p, rng)
    image[axon] = (80.0 + 10.0 * shading + 25.0 * raster.axon_radius**6)[axon]

    unmyelinated = raster.unmyelinated
    image[unmyelinated] = (108.0 + 8.0 * shading)[unmyelinated]

    image = jitter_contrast(image, rng, gain_spread=0.12, offset_spread=15.0)
    image = blur(image, BEAM_SIGMA_UM, p, min_sigma_px=0.5)
    electrons = rng.poisson(np.clip(image, 0, 255) / 255.0 * ELECTRONS_AT_WHITE)
    return to_uint8(electrons * (255.0 / ELECTRONS_AT_WHITE))

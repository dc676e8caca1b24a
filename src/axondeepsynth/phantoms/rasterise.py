"""Turn a tissue sample (micrometres) into per-pixel maps at a chosen pixel size.

Pixel (row i, column j) samples the tissue at its centre ((j + 0.5) * p, (i + 0.5) * p) um.
Besides the label map, the renderers get the geometry they need to draw texture that sits in the
tissue (myelin lamellae follow the fibre, organelles stay inside axons).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from axondeepsynth.imaging.label_values import AXON, MYELIN
from axondeepsynth.phantoms.fibre import TissueSample


@dataclass(frozen=True)
class TissueRaster:
    """Per-pixel maps of one tissue sample, all (rows, columns).

    Attributes:
        pixel_size_um: micrometres per pixel.
        labels: uint8, 0 background, 1 myelin, 2 axon (myelinated axons only).
        fibre_index: int32 index into the sample's fibres, -1 in extracellular space.
        unmyelinated: bool, pixels inside unmyelinated axons (labelled background).
        axon_radius: float32 elliptical radius inside axons, 0 at the centre to 1 at the membrane;
            0 elsewhere.
        myelin_depth_um: float32 distance from the inner myelin boundary along the fibre's radius,
            micrometres, inside myelin; 0 elsewhere.
        myelin_fraction: float32 the same depth as a fraction of the local myelin thickness (0 inner
            boundary, 1 outer boundary); 0 elsewhere.
    """

    pixel_size_um: float
    labels: np.ndarray
    fibre_index: np.ndarray
    unmyelinated: np.ndarray
    axon_radius: np.ndarray
    myelin_depth_um: np.ndarray
    myelin_fraction: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.labels.shape


def rasterise_tissue(tissue: TissueSample, pixel_size_um: float, shape: tuple[int, int]) -> TissueRaster:
    """Rasterise every fibre inside its bounding box; fibres never overlap, so order is irrelevant."""
    labels = np.zeros(shape, np.uint8)
    fibre_index = np.full(shape, -1, np.int32)
    unmyelinated = np.zeros(shape, bool)
    axon_radius = np.zeros(shape, np.float32)
    myelin_depth = np.zeros(shape, np.float32)
    myelin_fraction = np.zeros(shape, np.float32)
    rows, cols = shape
    for index, fibre in enumerate(tissue.fibres):
        reach = fibre.outer_radius
        r0 = max(0, math.floor((fibre.y - reach) / pixel_size_um))
        r1 = min(rows, math.ceil((fibre.y + reach) / pixel_size_um) + 1)
        c0 = max(0, math.floor((fibre.x - reach) / pixel_size_um))
        c1 = min(cols, math.ceil((fibre.x + reach) / pixel_size_um) + 1)
        if r0 >= r1 or c0 >= c1:
            continue
        y = ((np.arange(r0, r1) + 0.5) * pixel_size_um)[:, None]
        x = ((np.arange(c0, c1) + 0.5) * pixel_size_um)[None, :]
        rho = fibre.normalised_radius(x, y)
        window = np.s_[r0:r1, c0:c1]
        axon = rho <= 1.0
        inside = rho <= 1.0 / fibre.g_ratio
        fibre_index[window][inside] = index
        axon_radius[window][axon] = rho[axon]
        if not fibre.myelinated:
            unmyelinated[window] |= axon
            continue
        myelin = inside & ~axon
        labels[window][axon] = AXON
        labels[window][myelin] = MYELIN
        distance = np.hypot(x - fibre.x, y - fibre.y)
        myelin_depth[window][myelin] = (distance * (1.0 - 1.0 / rho))[myelin]
        myelin_fraction[window][myelin] = ((rho - 1.0) / (1.0 / fibre.g_ratio - 1.0))[myelin]
    return TissueRaster(pixel_size_um, labels, fibre_index, unmyelinated, axon_radius, myelin_depth, myelin_fraction)

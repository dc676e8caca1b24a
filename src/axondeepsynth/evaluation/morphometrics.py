"""Per-axon morphometrics the field reads, from a label map (0 background, 1 myelin, 2 axon).

Each axon region is grown through the myelin around it (watershed on the distance to the axons,
restricted to axon + myelin pixels) into its fibre; where two fibres touch, the myelin is split
half way between their axons. With regionprops:

- axon diameter: diameter of the disk with the axon's area (``equivalent_diameter_area``);
- fibre diameter: the same for the fibre (axon + its myelin);
- myelin thickness: (fibre diameter - axon diameter) / 2;
- g-ratio: axon diameter / fibre diameter.

Lengths are micrometres when the pixel size is known, pixels otherwise (``unit`` says which).
The aggregate g-ratio follows AxonDeepSeg: sqrt(total axon area / total fibre area), from the
axon and myelin area fractions of the whole image.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.ndimage import distance_transform_edt
from skimage.measure import regionprops
from skimage.segmentation import watershed

from axondeepsynth.evaluation.axon_objects import label_axons
from axondeepsynth.imaging.label_values import AXON, MYELIN

MORPHOMETRIC_COLUMNS = [
    "axon_id", "centroid_row", "centroid_col", "axon_area", "fibre_area", "axon_diameter",
    "fibre_diameter", "myelin_thickness", "g_ratio", "touches_border", "unit",
]


def fibre_regions(labels: np.ndarray, axons: np.ndarray) -> np.ndarray:
    """Grow numbered axons through the adjacent myelin; returns fibre ids equal to the axon ids."""
    distance = distance_transform_edt(axons == 0)
    return watershed(distance, markers=axons, mask=labels > 0)


def axon_morphometrics(labels: np.ndarray, pixel_size_um: float | None = None,
                       min_axon_area_px: int = 1, axons: np.ndarray | None = None) -> pd.DataFrame:
    """One row per axon with the columns of :data:`MORPHOMETRIC_COLUMNS`.

    Args:
        labels: 2-D label map.
        pixel_size_um: pixel side in micrometres; ``None`` reports pixels.
        min_axon_area_px: smaller axon regions are ignored (noise in predictions).
        axons: numbered axon regions when already computed (from :func:`label_axons`), so that
            ``axon_id`` agrees with a matching made on them.
    """
    axons = label_axons(labels, min_axon_area_px) if axons is None else axons
    fibres = fibre_regions(labels, axons)
    scale = 1.0 if pixel_size_um is None else float(pixel_size_um)
    unit = "px" if pixel_size_um is None else "um"
    rows = []
    fibre_props = {region.label: region for region in regionprops(fibres)}
    height, width = labels.shape
    for axon in regionprops(axons):
        fibre = fibre_props[axon.label]
        axon_d = axon.equivalent_diameter_area * scale
        fibre_d = fibre.equivalent_diameter_area * scale
        top, left, bottom, right = fibre.bbox
        rows.append({
            "axon_id": axon.label,
            "centroid_row": axon.centroid[0],
            "centroid_col": axon.centroid[1],
            "axon_area": axon.area * scale**2,
            "fibre_area": fibre.area * scale**2,
            "axon_diameter": axon_d,
            "fibre_diameter": fibre_d,
            "myelin_thickness": (fibre_d - axon_d) / 2.0,
            "g_ratio": axon_d / fibre_d,
            "touches_border": top == 0 or left == 0 or bottom == height or right == width,
            "unit": unit,
        })
    return pd.DataFrame(rows, columns=MORPHOMETRIC_COLUMNS)


def aggregate_g_ratio(labels: np.ndarray) -> float:
    """sqrt(axon area / (axon + myelin area)) over the whole image (NaN without axons)."""
    axon_area = np.count_nonzero(labels == AXON)
    fibre_area = axon_area + np.count_nonzero(labels == MYELIN)
    return math.sqrt(axon_area / fibre_area) if axon_area else float("nan")


def axon_density_per_mm2(num_axons: int, shape: tuple[int, int], pixel_size_um: float | None) -> float:
    """Axons per square millimetre of image (NaN when the pixel size is unknown)."""
    if pixel_size_um is None:
        return float("nan")
    area_mm2 = shape[0] * shape[1] * (pixel_size_um * 1e-3) ** 2
    return num_axons / area_mm2


def image_morphometrics(labels: np.ndarray, pixel_size_um: float | None = None,
                        min_axon_area_px: int = 1) -> dict[str, float]:
    """Whole-image summary: axon count, density, aggregate and mean g-ratio, mean diameters."""
    table = axon_morphometrics(labels, pixel_size_um, min_axon_area_px)
    return {
        "num_axons": float(len(table)),
        "axon_density_per_mm2": axon_density_per_mm2(len(table), labels.shape, pixel_size_um),
        "aggregate_g_ratio": aggregate_g_ratio(labels),
        "mean_g_ratio": float(table["g_ratio"].mean()) if len(table) else float("nan"),
        "mean_axon_diameter": float(table["axon_diameter"].mean()) if len(table) else float("nan"),
        "mean_myelin_thickness": float(table["myelin_thickness"].mean()) if len(table) else float("nan"),
    }

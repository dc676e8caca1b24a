"""Per-axon morphometrics under AxonDeepSeg's column names, units and file names.

AxonDeepSeg (5.x) writes ``<image>_axon_morphometrics.xlsx`` (or ``.csv``) with, in this order,
``x0 (px)``, ``y0 (px)``, ``gratio``, ``axon_area (um^2)``, ``axon_perimeter (um)``,
``myelin_area (um^2)``, ``axon_diam (um)``, ``myelin_thickness (um)``, ``axonmyelin_area (um^2)``,
``axonmyelin_perimeter (um)``, then ``solidity``, ``eccentricity``, ``orientation``,
``image_border_touching``, ``bbox_min_y``, ``bbox_min_x``, ``bbox_max_y``, ``bbox_max_x``
(bounding box of the fibre in pixels, min inclusive, max exclusive), and the DataFrame index as
a first unnamed column. Its tools (``axondeepseg_aggregate``, the napari plugin, its QA report)
read these names, so ours are written exactly so.

The values are the project's own (:func:`axondeepsynth.evaluation.morphometrics.axon_morphometrics`:
axon and fibre regions, equivalent diameters, g-ratio = axon diameter / fibre diameter, as
AxonDeepSeg's ``circle`` axon shape computes them); perimeters, solidity, eccentricity,
orientation and the bounding box come from the same regions through ``regionprops``.

AxonDeepSeg always knows the pixel size. Without one we write lengths in pixels and say so in
the column names (``axon_diam (px)``, ``axon_area (px^2)``): AxonDeepSeg's tools do not rename
those columns, which is better than a number in the wrong unit under an ``(um)`` heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from skimage.measure import regionprops

from axondeepsynth.evaluation.axon_objects import label_axons
from axondeepsynth.evaluation.morphometrics import axon_morphometrics, fibre_regions

MORPHOMETRICS_SUFFIX = "_axon_morphometrics"
"""``<image>_axon_morphometrics.xlsx``: AxonDeepSeg's per-image morphometrics file name."""

_UNIT_FREE_COLUMNS = [
    "solidity", "eccentricity", "orientation", "image_border_touching",
    "bbox_min_y", "bbox_min_x", "bbox_max_y", "bbox_max_x",
]


def axondeepseg_columns(pixel_size_known: bool = True) -> list[str]:
    """AxonDeepSeg's morphometrics columns in its order; lengths in ``px`` when the pixel size is unknown."""
    length, area = ("um", "um^2") if pixel_size_known else ("px", "px^2")
    return [
        "x0 (px)", "y0 (px)", "gratio", f"axon_area ({area})", f"axon_perimeter ({length})",
        f"myelin_area ({area})", f"axon_diam ({length})", f"myelin_thickness ({length})",
        f"axonmyelin_area ({area})", f"axonmyelin_perimeter ({length})", *_UNIT_FREE_COLUMNS,
    ]


def morphometrics_file_name(image_name: str, extension: str = ".xlsx") -> str:
    """``<image>_axon_morphometrics<extension>``, the name AxonDeepSeg's aggregation looks for."""
    return f"{image_name}{MORPHOMETRICS_SUFFIX}{extension}"


def axondeepseg_morphometrics(labels: np.ndarray, pixel_size_um: float | None = None,
                              min_axon_area_px: int = 1) -> pd.DataFrame:
    """One row per axon, AxonDeepSeg's columns (:func:`axondeepseg_columns`), index 0..N-1.

    Args:
        labels: 2-D label map, 0 background / 1 myelin / 2 axon.
        pixel_size_um: pixel side in micrometres; ``None`` writes pixel units.
        min_axon_area_px: smaller axon regions are ignored (noise in predictions).
    """
    axons = label_axons(labels, min_axon_area_px)
    table = axon_morphometrics(labels, pixel_size_um, axons=axons)
    columns = axondeepseg_columns(pixel_size_um is not None)
    if table.empty:
        return pd.DataFrame(columns=columns)
    scale = 1.0 if pixel_size_um is None else float(pixel_size_um)
    fibres = {region.label: region for region in regionprops(fibre_regions(labels, axons))}
    shapes = []
    for axon in regionprops(axons):
        fibre = fibres[axon.label]
        shapes.append({
            "axon_id": axon.label,
            "axon_perimeter": axon.perimeter * scale,
            "axonmyelin_perimeter": fibre.perimeter * scale,
            "solidity": axon.solidity,
            "eccentricity": axon.eccentricity,
            "orientation": axon.orientation,
            **dict(zip(_UNIT_FREE_COLUMNS[-4:], fibre.bbox)),
        })
    merged = table.merge(pd.DataFrame(shapes), on="axon_id", validate="one_to_one")
    values = [
        merged["centroid_col"], merged["centroid_row"], merged["g_ratio"], merged["axon_area"],
        merged["axon_perimeter"], merged["fibre_area"] - merged["axon_area"], merged["axon_diameter"],
        merged["myelin_thickness"], merged["fibre_area"], merged["axonmyelin_perimeter"],
        merged["solidity"], merged["eccentricity"], merged["orientation"], merged["touches_border"].astype(bool),
        *(merged[name].astype(int) for name in _UNIT_FREE_COLUMNS[-4:]),
    ]
    return pd.DataFrame({column: value.to_numpy() for column, value in zip(columns, values)})


@dataclass(frozen=True)
class AxonDeepSegResult:
    """One segmented image as AxonDeepSeg users get it.

    Attributes:
        labels: uint8 2-D map at the image's own size, 0 background / 1 myelin / 2 axon.
        morphometrics: :func:`axondeepseg_morphometrics` of ``labels``.
        pixel_size_um: the image's pixel side (µm), ``None`` when unknown (morphometrics in pixels).
    """

    labels: np.ndarray
    morphometrics: pd.DataFrame
    pixel_size_um: float | None


def axondeepseg_result(labels: np.ndarray, pixel_size_um: float | None, min_axon_area_px: int = 1) -> AxonDeepSegResult:
    """Measure ``labels`` for AxonDeepSeg-format outputs (see :class:`AxonDeepSegResult`)."""
    return AxonDeepSegResult(labels, axondeepseg_morphometrics(labels, pixel_size_um, min_axon_area_px), pixel_size_um)


def read_axondeepseg_morphometrics(path: Path | str) -> pd.DataFrame:
    """An ``_axon_morphometrics`` ``.xlsx`` or ``.csv`` as AxonDeepSeg writes it (first column: the index)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, index_col=0, na_values="NaN")
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, index_col=0, na_values="NaN")
    raise ValueError(f"'{path}': AxonDeepSeg morphometrics are .xlsx or .csv files.")

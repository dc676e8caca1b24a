"""Kedro dataset for the target images cut into regions (catalog ``target_regions``), a BIDS tree.

``save(TargetRegions)`` reads each image and label map once, cuts them by the plan and writes
every region as its own subject (``sub-<region>/micr/<name>.tif`` with its stored values, a JSON
sidecar carrying the image's ``PixelSize``, the label map as
``derivatives/labels/sub-<region>/micr/<name>_seg-axonmyelin-manual.png``, 0 / 127 / 255) into a
temporary folder renamed into place when complete; ``regions.json`` records the plan. A tree
already cut by the same plan is kept; one cut by another plan is replaced (it is the project's
own output); a folder the project did not write is refused. Saving
:class:`~axondeepsynth.artifacts.target_regions.RegionsNotCut` writes nothing.

Catalog entry::

    target_regions:
      type: axondeepsynth.datasets.target_regions_dataset.TargetRegionsDataset
      path: data/02_intermediate/target_regions
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import tifffile
from kedro.io import AbstractDataset
from PIL import Image
from tqdm import tqdm

from axondeepsynth.artifacts.target_regions import (
    RegionCut,
    RegionsNotCut,
    TargetRegions,
    TargetRegionsTree,
)
from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_checks import read_matching_labels
from axondeepsynth.imaging.image_io import read_raw_pixels

logger = logging.getLogger(__name__)

PLAN_FILE = "regions.json"
_LABEL_VALUES = np.array([0, 127, 255], dtype=np.uint8)
"""Background, myelin, axon as an AxonDeepSeg combined mask."""


def _write_region(folder: Path, cut: RegionCut, pixels: np.ndarray, labels: np.ndarray | None) -> None:
    top, bottom, left, right = cut.box
    micr = folder / f"sub-{cut.subject}" / "micr"
    micr.mkdir(parents=True)
    tifffile.imwrite(micr / f"{cut.name}.tif", np.ascontiguousarray(pixels[top:bottom, left:right]))
    sides = cut.record.pixel_size_yx_um or (
        None if cut.record.pixel_size_um is None else (cut.record.pixel_size_um,) * 2)
    if sides is not None:
        sidecar = {"PixelSize": [float(sides[0]), float(sides[1])], "PixelSizeUnits": "um"}
        (micr / f"{cut.name}.json").write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
    if labels is not None:
        label_dir = folder / "derivatives" / "labels" / f"sub-{cut.subject}" / "micr"
        label_dir.mkdir(parents=True)
        Image.fromarray(_LABEL_VALUES[labels[top:bottom, left:right]]).save(
            label_dir / f"{cut.name}_seg-axonmyelin-manual.png")


class TargetRegionsDataset(AbstractDataset[TargetRegions | RegionsNotCut, TargetRegionsTree]):
    """The regions tree at ``path``; load gives its plan (``path=None`` when nothing was written)."""

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            path: the tree's folder (e.g. ``data/02_intermediate/target_regions``).
            metadata: free-form Kedro metadata, ignored here.
        """
        self._path = Path(path)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}

    def _read_plan(self) -> dict[str, Any] | None:
        plan_file = self._path / PLAN_FILE
        return json.loads(plan_file.read_text(encoding="utf-8")) if plan_file.is_file() else None

    def load(self) -> TargetRegionsTree:
        plan = self._read_plan()
        return TargetRegionsTree(self._path if plan is not None else None, plan)

    def save(self, data: TargetRegions | RegionsNotCut) -> None:
        if isinstance(data, RegionsNotCut):
            logger.info("Target regions not cut (%s).", data.reason)
            return
        plan = data.plan()
        if self._read_plan() == plan:
            logger.info("Target regions at '%s' already match the plan; keeping them.", self._path)
            return
        with atomic_directory(self._path, overwrite=True) as temp:
            (temp / "dataset_description.json").write_text(json.dumps(
                {"Name": f"regions of {data.source}", "BIDSVersion": "1.8.0", "DatasetType": "derivative",
                 "GeneratedBy": [{"Name": "axondeepsynth target_regions"}]}, indent=2), encoding="utf-8")
            current: tuple[Path, np.ndarray, np.ndarray | None] | None = None
            for cut in tqdm(data.cuts, desc="cutting target regions", unit="region"):
                if current is None or current[0] != cut.record.path:
                    pixels = read_raw_pixels(cut.record.path)
                    current = (cut.record.path, pixels, read_matching_labels(cut.record, pixels.shape))
                _write_region(temp, cut, current[1], current[2])
            (temp / PLAN_FILE).write_text(json.dumps(plan, indent=2), encoding="utf-8")
        logger.info("Wrote %d target region(s) to '%s'.", len(data.cuts), self._path)

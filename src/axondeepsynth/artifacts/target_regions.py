"""Target images cut into a grid of regions, each region its own subject (catalog ``target_regions``).

The shared real TEM is one image of one subject: no split by subject can hold any of it out. Cut
into regions (``inputs.target.regions``), its halves become two subjects, so SynDiff and the
oracle train on one and every arm is scored on the other. The node returns a
:class:`TargetRegions` plan; the dataset reads, cuts and writes the pixels as a BIDS tree that
discovery then reads instead of ``inputs.target.path``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axondeepsynth.imaging.image_record import ImageRecord


def bids_label(text: str) -> str:
    """``text`` reduced to what a BIDS entity value may hold (letters and digits)."""
    return re.sub(r"[^A-Za-z0-9]", "", text)


@dataclass(frozen=True)
class RegionCut:
    """One region of one image.

    Attributes:
        record: the image cut (its sidecar pixel size and label map go with the region).
        box: ``(top, bottom, left, right)`` in pixels of the stored image, bottom/right exclusive.
        subject: the region's BIDS subject label (without ``sub-``), unique per region.
        name: the region's file stem, ``sub-<subject>_sample-<sample>_<suffix>``.
    """

    record: ImageRecord
    box: tuple[int, int, int, int]
    subject: str
    name: str

    def as_dict(self) -> dict[str, Any]:
        """What the tree's ``regions.json`` records for this region."""
        return {"name": self.name, "subject": f"sub-{self.subject}", "source_image": str(self.record.path),
                "source_label": None if self.record.label_path is None else str(self.record.label_path),
                "box_top_bottom_left_right": list(self.box), "pixel_size_um": self.record.pixel_size_um,
                "pixel_size_yx_um": None if self.record.pixel_size_yx_um is None
                else list(self.record.pixel_size_yx_um)}


@dataclass(frozen=True)
class TargetRegions:
    """The plan the ``target_regions`` dataset writes: every region of every target image.

    Attributes:
        source: the folder cut (``inputs.target.path``).
        rows, cols: the grid.
        cuts: the regions, image by image, row by row.
    """

    source: Path
    rows: int
    cols: int
    cuts: tuple[RegionCut, ...]

    def plan(self) -> dict[str, Any]:
        """JSON description: equal plans give equal trees (the dataset keeps an equal tree)."""
        return {"source": str(self.source), "rows": self.rows, "cols": self.cols,
                "regions": [cut.as_dict() for cut in self.cuts]}


@dataclass(frozen=True)
class RegionsNotCut:
    """``inputs.target.regions`` is null: the target images are used as they are, nothing is written."""

    reason: str


@dataclass(frozen=True)
class TargetRegionsTree:
    """What ``target_regions`` loads: the written tree and its plan, or ``path=None`` when none exists."""

    path: Path | None
    plan: dict[str, Any] | None

    def matches(self, source: Path, rows: int, cols: int) -> bool:
        """True when the tree was cut from ``source`` with this grid."""
        return self.plan is not None and (self.plan["source"], self.plan["rows"], self.plan["cols"]) == (
            str(source), rows, cols)

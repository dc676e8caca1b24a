"""Node: plan the cutting of every target image into a grid of regions that act as subjects.

See :mod:`axondeepsynth.artifacts.target_regions` for why; the ``target_regions`` dataset writes
the plan's pixels, and ``discover_sources`` then reads that tree instead of ``inputs.target.path``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from axondeepsynth.artifacts.target_regions import (
    RegionCut,
    RegionsNotCut,
    TargetRegions,
    bids_label,
)
from axondeepsynth.imaging.bids_layout import parse_entities
from axondeepsynth.imaging.image_io import image_shape
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.inputs import InputsParams

logger = logging.getLogger(__name__)


def _edges(length: int, parts: int) -> list[int]:
    return [round(i * length / parts) for i in range(parts + 1)]


def _cuts(record: ImageRecord, rows: int, cols: int, image_in_subject: int | None) -> list[RegionCut]:
    height, width = image_shape(record.path)
    if height < rows or width < cols:
        raise ParameterError(f"inputs.target.regions ({rows} x {cols}) is finer than '{record.path}' "
                             f"({height}x{width} px); use fewer rows/cols.")
    entities, suffix = parse_entities(record.path.name)
    subject = bids_label(record.group.removeprefix("sub-"))
    if image_in_subject is not None:
        subject += f"i{image_in_subject}"
    sample = bids_label(entities.get("sample", record.sample)) or "image"
    suffix = bids_label(suffix if "sub" in entities else record.modality.upper()) or "IMG"
    ys, xs = _edges(height, rows), _edges(width, cols)
    cuts = []
    for row in range(rows):
        for col in range(cols):
            region = f"{subject}r{row}c{col}"
            cuts.append(RegionCut(record, (ys[row], ys[row + 1], xs[col], xs[col + 1]), region,
                                  f"sub-{region}_sample-{sample}_{suffix}"))
    return cuts


def cut_target_regions(phantoms: Any, inputs: InputsParams) -> TargetRegions | RegionsNotCut:
    """Every target image cut into ``inputs.target.regions`` (rows x cols, near-equal sizes).

    Each region becomes its own subject ``sub-<subject>r<row>c<col>`` (with ``i<k>`` when a subject
    has several images), inheriting its image's sidecar pixel size; label maps are cut the same way.

    Args:
        phantoms: the phantom manifest or the record that none were generated: taken so the phantom
            tree exists before the target folder is listed.
        inputs: the user's data.

    Returns:
        The plan the ``target_regions`` dataset writes, or :class:`RegionsNotCut` (nothing written)
        when ``inputs.target.regions`` is null.
    """
    del phantoms
    grid = inputs.target.regions
    if grid is None:
        return RegionsNotCut("inputs.target.regions is null")
    records = discover_images(inputs.target.path, inputs.exclude_dirs, inputs.target.modality)
    per_subject = Counter(record.group for record in records)
    seen: Counter[str] = Counter()
    cuts: list[RegionCut] = []
    for record in records:
        index = seen[record.group] if per_subject[record.group] > 1 else None
        seen[record.group] += 1
        cuts.extend(_cuts(record, grid.rows, grid.cols, index))
    logger.info("Target regions: %d image(s) -> %d region(s) of a %d x %d grid, each its own subject.",
                len(records), len(cuts), grid.rows, grid.cols)
    return TargetRegions(inputs.target.path, grid.rows, grid.cols, tuple(cuts))

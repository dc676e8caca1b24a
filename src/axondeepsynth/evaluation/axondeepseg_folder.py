"""A folder of segmentations in the layout AxonDeepSeg users open and aggregate: write and read it.

Per image ``name``: ``<name>_seg-axon.png``, ``<name>_seg-myelin.png`` (0/255),
``<name>_seg-axonmyelin.png`` (0 / 127 myelin / 255 axon, what the napari plugin's "Load mask"
takes), and ``<name>_axon_morphometrics.xlsx`` and ``.csv``
(:mod:`axondeepsynth.evaluation.axondeepseg_format`); ``pixel_size_in_micrometer.txt`` when every
image has the same known pixel size (AxonDeepSeg keeps one per folder). The folder is built under
a temporary name and renamed when complete. Used by the catalog's
:class:`~axondeepsynth.datasets.axondeepseg_results_dataset.AxonDeepSegResultsDataset` and by
:mod:`axondeepsynth.serving.segment_images`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from axondeepsynth.evaluation.axondeepseg_format import (
    MORPHOMETRICS_SUFFIX,
    AxonDeepSegResult,
    morphometrics_file_name,
    read_axondeepseg_morphometrics,
)
from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_io import write_png_atomic
from axondeepsynth.imaging.label_values import axondeepseg_masks
from axondeepsynth.imaging.pixel_size_file import write_pixel_size_file

logger = logging.getLogger(__name__)


def write_axondeepseg_folder(path: Path | str, results: Mapping[str, AxonDeepSegResult],
                             overwrite: bool = False) -> None:
    """Write ``results`` (by image name) into the folder ``path``.

    Raises:
        FileExistsError: ``path`` holds something and ``overwrite`` is false.
        ValueError: a label map that is not uint8 2-D in {0, 1, 2}, naming the image.
    """
    with atomic_directory(path, overwrite=overwrite) as temp_dir:
        for name, result in results.items():
            labels = result.labels
            if labels.ndim != 2 or labels.dtype != np.uint8 or labels.max(initial=0) > 2:
                raise ValueError(f"'{name}': expected a uint8 2-D map in {{0, 1, 2}}, got {labels.dtype} "
                                 f"{labels.shape} with max {labels.max(initial=0)}.")
            for suffix, mask in axondeepseg_masks(labels).items():
                write_png_atomic(temp_dir / f"{name}{suffix}.png", mask)
            result.morphometrics.to_excel(temp_dir / morphometrics_file_name(name, ".xlsx"), na_rep="NaN")
            result.morphometrics.to_csv(temp_dir / morphometrics_file_name(name, ".csv"), na_rep="NaN")
        sizes = {result.pixel_size_um for result in results.values()}
        if len(sizes) == 1 and None not in sizes:
            write_pixel_size_file(temp_dir, float(sizes.pop()))
    logger.info("Wrote AxonDeepSeg masks and morphometrics of %d image(s) to %s.", len(results), path)


def read_axondeepseg_folder(path: Path | str) -> dict[str, pd.DataFrame]:
    """``{image name: morphometrics}`` from the ``<name>_axon_morphometrics.xlsx`` files of ``path``."""
    suffix = f"{MORPHOMETRICS_SUFFIX}.xlsx"
    return {file.name[: -len(suffix)]: read_axondeepseg_morphometrics(file)
            for file in sorted(Path(path).glob(f"*{suffix}"))}

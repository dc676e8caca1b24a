"""Kedro dataset for segmentations in the layout AxonDeepSeg users open and aggregate.

Saving ``{name: AxonDeepSegResult}`` (:func:`~axondeepsynth.evaluation.axondeepseg_format.axondeepseg_result`
computes them) writes, per image ``name``:

- ``<name>_seg-axon.png``, ``<name>_seg-myelin.png``: binary masks, 0/255;
- ``<name>_seg-axonmyelin.png``: combined mask, 0 / 127 myelin / 255 axon (napari plugin's "Load mask");
- ``<name>_axon_morphometrics.xlsx`` and ``.csv``: per-axon morphometrics under AxonDeepSeg's
  column names and units (:mod:`axondeepsynth.evaluation.axondeepseg_format`);

and ``pixel_size_in_micrometer.txt`` when every image has the same known pixel size (AxonDeepSeg
keeps one per folder). The folder is built under a temporary name and renamed when complete.
Loading returns ``{name: morphometrics DataFrame}`` read back from the ``.xlsx`` files.

Example catalog entry::

    "{arm}.axondeepseg_results":
      type: axondeepsynth.datasets.axondeepseg_results_dataset.AxonDeepSegResultsDataset
      path: data/07_model_output/{arm}/axondeepseg
      overwrite: true
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from kedro.io import AbstractDataset, DatasetError

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


class AxonDeepSegResultsDataset(AbstractDataset[dict[str, AxonDeepSegResult], dict[str, pd.DataFrame]]):
    """A folder of AxonDeepSeg-named masks and morphometrics files."""

    def __init__(self, path: str, overwrite: bool = False, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            path: the output folder.
            overwrite: replace an existing non-empty folder; otherwise saving into one is refused.
            metadata: free-form, ignored by Kedro.
        """
        self._path = Path(path)
        self._overwrite = overwrite
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path), "overwrite": self._overwrite}

    def _exists(self) -> bool:
        return self._path.is_dir() and any(self._path.glob(f"*{MORPHOMETRICS_SUFFIX}.xlsx"))

    def load(self) -> dict[str, pd.DataFrame]:
        if not self._exists():
            raise DatasetError(f"No AxonDeepSeg morphometrics in '{self._path}'; run the pipeline that writes them.")
        suffix = f"{MORPHOMETRICS_SUFFIX}.xlsx"
        return {path.name[: -len(suffix)]: read_axondeepseg_morphometrics(path)
                for path in sorted(self._path.glob(f"*{suffix}"))}

    def save(self, data: dict[str, AxonDeepSegResult]) -> None:
        with atomic_directory(self._path, overwrite=self._overwrite) as temp_dir:
            for name, image in data.items():
                labels = image.labels
                if labels.ndim != 2 or labels.dtype != np.uint8 or labels.max(initial=0) > 2:
                    raise DatasetError(f"'{name}': expected a uint8 2-D map in {{0, 1, 2}}, got {labels.dtype} "
                                       f"{labels.shape} with max {labels.max(initial=0)}.")
                for suffix, mask in axondeepseg_masks(labels).items():
                    write_png_atomic(temp_dir / f"{name}{suffix}.png", mask)
                image.morphometrics.to_excel(temp_dir / morphometrics_file_name(name, ".xlsx"), na_rep="NaN")
                image.morphometrics.to_csv(temp_dir / morphometrics_file_name(name, ".csv"), na_rep="NaN")
            sizes = {image.pixel_size_um for image in data.values()}
            if len(sizes) == 1 and None not in sizes:
                write_pixel_size_file(temp_dir, float(sizes.pop()))
        logger.info("Wrote AxonDeepSeg masks and morphometrics of %d image(s) to %s.", len(data), self._path)

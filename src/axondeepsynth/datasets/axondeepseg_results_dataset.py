"""Kedro dataset for segmentations in the layout AxonDeepSeg users open and aggregate.

Saving ``{name: AxonDeepSegResult}`` (:func:`~axondeepsynth.evaluation.axondeepseg_format.axondeepseg_result`
computes them) writes AxonDeepSeg-named masks and ``<name>_axon_morphometrics.xlsx``/``.csv`` per
image (layout: :mod:`axondeepsynth.evaluation.axondeepseg_folder`). Loading returns
``{name: morphometrics DataFrame}`` read back from the ``.xlsx`` files.

Example catalog entry::

    "{arm}.axondeepseg_results":
      type: axondeepsynth.datasets.axondeepseg_results_dataset.AxonDeepSegResultsDataset
      path: data/07_model_output/{arm}/axondeepseg
      overwrite: true
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.evaluation.axondeepseg_folder import read_axondeepseg_folder, write_axondeepseg_folder
from axondeepsynth.evaluation.axondeepseg_format import MORPHOMETRICS_SUFFIX, AxonDeepSegResult


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
        return read_axondeepseg_folder(self._path)

    def save(self, data: dict[str, AxonDeepSegResult]) -> None:
        write_axondeepseg_folder(self._path, data, self._overwrite)

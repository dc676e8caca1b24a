"""Kedro dataset for predicted segmentations, written for nnU-Net and AxonDeepSeg users alike.

Saving ``{name: label map}`` (uint8 2-D, 0 background / 1 myelin / 2 axon) writes, per name:

- ``<name>.png``: the class map as nnU-Net writes it (0/1/2);
- ``<name>_seg-axon.png`` and ``<name>_seg-myelin.png``: binary masks, 0/255;
- ``<name>_seg-axonmyelin.png``: AxonDeepSeg's combined mask, 0 / 127 myelin / 255 axon.

The folder is built under a temporary name and renamed when complete. Loading returns the class
maps of ``<name>.png``.

Example catalog entry::

    segmentation_masks:
      type: axondeepsynth.datasets.nnunet_segmentation_masks_dataset.NnUNetSegmentationMasksDataset
      path: data/07_model_output/segmentation/masks
      overwrite: true
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from kedro.io import AbstractDataset, DatasetError

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_io import read_label_map, write_png_atomic
from axondeepsynth.imaging.label_values import MASK_SUFFIXES, axondeepseg_masks

logger = logging.getLogger(__name__)

class NnUNetSegmentationMasksDataset(AbstractDataset[dict[str, np.ndarray], dict[str, np.ndarray]]):
    """A folder of predicted class maps plus their AxonDeepSeg-style masks."""

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
        return self._path.is_dir() and any(self._path.glob("*.png"))

    def load(self) -> dict[str, np.ndarray]:
        if not self._exists():
            raise DatasetError(f"No segmentation in '{self._path}'; run `kedro run --pipeline segmentation` first.")
        return {
            path.stem: read_label_map(path)
            for path in sorted(self._path.glob("*.png"))
            if not path.stem.endswith(MASK_SUFFIXES)
        }

    def save(self, data: dict[str, np.ndarray]) -> None:
        with atomic_directory(self._path, overwrite=self._overwrite) as temp_dir:
            for name, labels in data.items():
                if labels.ndim != 2 or labels.dtype != np.uint8 or labels.max(initial=0) > 2:
                    raise DatasetError(f"'{name}': expected a uint8 2-D map in {{0, 1, 2}}, got {labels.dtype} "
                                       f"{labels.shape} with max {labels.max(initial=0)}.")
                write_png_atomic(temp_dir / f"{name}.png", labels)
                for suffix, mask in axondeepseg_masks(labels).items():
                    write_png_atomic(temp_dir / f"{name}{suffix}.png", mask)
        logger.info("Wrote %d segmentation(s) with AxonDeepSeg masks to %s.", len(data), self._path)

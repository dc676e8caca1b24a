"""Kedro dataset for SynDiff training sets: ``/<modality>/<i>`` uint8 whole images in one HDF5 file.

The layout is the one the original SynDiff tooling reads (``dataset_{train,val,test}.hdf5``):
one group per modality, in contrast1, contrast2 order, holding datasets ``"0"``, ``"1"``... Each
image dataset carries ``source_path``, ``subject``, ``scale_factor`` and ``pixel_size_um`` (after
scaling, NaN if unknown) when the writer knows them.

Saving streams: images are given as arrays or as zero-argument callables returning arrays
(e.g. :class:`~axondeepsynth.imaging.scaled_image_source.ScaledImageSource`), called one at a time,
so peak memory is one image whatever their number. The file is written under a temporary name
and renamed when complete.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Union

import h5py
import numpy as np
from kedro.io import AbstractDataset
from tqdm.auto import tqdm

from axondeepsynth.artifacts.syndiff_split import ImageItem, SynDiffSplit
from axondeepsynth.errors import REBUILD_WITH_DATA_ENGINEERING, names_corrupt_file
from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.project_outputs import refuse_output_inside_inputs

logger = logging.getLogger(__name__)

MODALITIES_ATTR = "modalities"


def write_image_dataset(group: h5py.Group, key: str, item: Any, save_args: Mapping[str, Any]) -> h5py.Dataset:
    """Materialise ``item`` (an array or a callable returning one) into ``group[key]`` with its
    ``attrs``; refuses anything but a 2-D uint8 array."""
    array = item() if callable(item) else item
    if not isinstance(array, np.ndarray) or array.ndim != 2 or array.dtype != np.uint8:
        described = f"{array.dtype} {array.shape}" if isinstance(array, np.ndarray) else type(array).__name__
        raise ValueError(f"'{group.name}/{key}' must be a 2-D uint8 image, got {described}.")
    dataset = group.create_dataset(key, data=array, **save_args)
    for name, value in getattr(item, "attrs", {}).items():
        dataset.attrs[name] = value
    return dataset


ImagesToSave = Union[SynDiffSplit, Mapping[str, Iterable[ImageItem]]]


class SynDiffHDF5Dataset(AbstractDataset[ImagesToSave, dict[str, list[np.ndarray]]]):
    """One SynDiff split file (``/<modality>/<i>`` uint8 whole images).

    Saving a split without modalities writes nothing (``paired: null``). ``load()`` reads
    everything into ``{modality: [uint8 (H, W) arrays]}`` in index order: these
    files hold a few hundred downscaled images at most; training code that wants lazy access
    opens the file with h5py itself.

    Example catalog entry::

        syndiff_train:
          type: axondeepsynth.datasets.syndiff_hdf5_dataset.SynDiffHDF5Dataset
          filepath: data/03_primary/syndiff/dataset_train.hdf5
    """

    def __init__(
        self,
        filepath: str,
        overwrite: bool = False,
        save_args: dict[str, Any] | None = None,
        optional: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """
        Args:
            filepath: the ``.hdf5`` file.
            overwrite: replace an existing file on save (a :class:`SynDiffSplit` may also ask).
            optional: a missing file loads as ``{}`` instead of failing (the paired set, which
                only phantoms have).
            save_args: keyword arguments of ``h5py.Group.create_dataset`` (e.g. ``compression``).
            metadata: free-form, ignored by Kedro.
        """
        self._filepath = Path(filepath)
        self._overwrite = overwrite
        self._save_args = dict(save_args or {})
        self._optional = optional
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "overwrite": self._overwrite, "save_args": self._save_args}

    def _exists(self) -> bool:
        return self._filepath.is_file()

    def load(self) -> dict[str, list[np.ndarray]]:
        if not self._filepath.is_file():
            if self._optional:
                return {}
            raise FileNotFoundError(
                f"No SynDiff HDF5 set at '{self._filepath}'; run `kedro run --pipeline data_engineering` "
                "first or point this catalog entry at an existing file."
            )
        with (names_corrupt_file(self._filepath, "SynDiff HDF5 set", REBUILD_WITH_DATA_ENGINEERING, (OSError,)),
              h5py.File(self._filepath, "r") as file):
            order = [str(m) for m in file.attrs.get(MODALITIES_ATTR, list(file.keys()))]
            return {
                modality: [file[modality][key][()] for key in sorted(file[modality].keys(), key=int)]
                for modality in order
            }

    def save(self, data: ImagesToSave) -> None:
        split = data if isinstance(data, SynDiffSplit) else SynDiffSplit(images=dict(data))
        if not split.images:
            logger.info("No images for %s (e.g. no paired renderings configured): nothing written.", self._filepath)
            return
        refuse_output_inside_inputs(self._filepath, split.source_roots)
        overwrite = self._overwrite or split.overwrite
        counts = split.counts()
        total = None if None in counts.values() else sum(counts.values())
        with atomic_file(self._filepath, overwrite=overwrite) as temp:
            with h5py.File(temp, "w", track_order=True) as file:
                file.attrs[MODALITIES_ATTR] = list(split.images)
                for name, value in split.attrs.items():
                    file.attrs[name] = value
                progress = tqdm(total=total, desc=self._filepath.name, unit="image", leave=False)
                for modality, items in split.images.items():
                    group = file.create_group(modality)
                    for index, item in enumerate(items):
                        write_image_dataset(group, str(index), item, self._save_args)
                        progress.update()
                    counts[modality] = len(group)
                progress.close()
        logger.info("Wrote %s: %s images per modality.", self._filepath, counts)

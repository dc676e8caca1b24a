"""Kedro dataset for tiles to translate: ``<name>_<modality>.hdf5`` with images, labels, originals.

Layout (``docs/ARCHITECTURE.md``)::

    /<modality>/images/<i>     uint8 tile; attrs location (x, y), image_index, path_to_original
    /<modality>/labels/<i>     uint8 tile in {0,1,2} where the source has labels; same attrs
    /<modality>/originals/<k>  empty; attrs path, label_path, case_id, original_shape,
                               scaled_shape, padding, scale_factor, first_tile, tile_count
    root attrs                 modality, tile_size, overlap, name

Tiles of one source image are stored contiguously (``first_tile`` .. ``first_tile + tile_count
- 1``), so a reader gets an image's tiles without scanning the file. Saving streams one source
image at a time; loading returns a lazy :class:`~axondeepsynth.artifacts.tile_set.TileSet`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import h5py
import numpy as np
from kedro.io import AbstractDataset, DatasetError
from tqdm.auto import tqdm

from axondeepsynth.artifacts.tile_set import TilePlan, TileSet
from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.project_outputs import refuse_output_inside_inputs

logger = logging.getLogger(__name__)

_HDF5_SUFFIXES = (".hdf5", ".h5")


def _write_tile(group: h5py.Group, key: str, array: np.ndarray, attrs: dict[str, Any]) -> None:
    dataset = group.create_dataset(key, data=np.ascontiguousarray(array))
    for name, value in attrs.items():
        dataset.attrs[name] = value


def _write_plan(file: h5py.File, plan: TilePlan) -> int:
    """Write every tile of ``plan`` into an open file; returns the number of tiles."""
    file.attrs.update(
        {"modality": plan.modality, "tile_size": plan.tile_size, "overlap": plan.overlap, "name": plan.name}
    )
    group = file.create_group(plan.modality)
    images, labels, originals = (group.create_group(n) for n in ("images", "labels", "originals"))
    count = 0
    for index, source in enumerate(tqdm(plan.images, desc=plan.filename, unit="image", leave=False)):
        tiled = source()
        first_tile = count
        for tile in tiled.tiles():
            attrs = {"location": list(tile.location), "image_index": index, "path_to_original": tiled.info.path}
            _write_tile(images, str(count), tile.image, attrs)
            if tile.labels is not None:
                _write_tile(labels, str(count), tile.labels, attrs)
            count += 1
        original = originals.create_dataset(str(index), data=h5py.Empty("u1"))
        original.attrs.update({**tiled.info.attrs(), "first_tile": first_tile, "tile_count": count - first_tile})
    return count


class TileSetHDF5Dataset(AbstractDataset[TilePlan, TileSet]):
    """Tiles to translate, in one HDF5 file per modality.

    ``filepath`` is either the ``.hdf5`` file itself or a folder; with a folder, save writes
    ``<folder>/<plan.name>_<plan.modality>.hdf5`` and load opens the file this dataset saved, or
    the only ``.hdf5`` file in the folder.

    Example catalog entry::

        tiles_to_translate:
          type: axondeepsynth.datasets.tile_hdf5_dataset.TileSetHDF5Dataset
          filepath: data/05_model_input/to_translate
    """

    def __init__(self, filepath: str, overwrite: bool = False, metadata: dict[str, Any] | None = None) -> None:
        """
        Args:
            filepath: the ``.hdf5`` file, or the folder that holds ``<name>_<modality>.hdf5``.
            overwrite: replace an existing file on save (a :class:`TilePlan` may also ask).
            metadata: free-form, ignored by Kedro.
        """
        self._filepath = Path(filepath)
        self._overwrite = overwrite
        self._saved_file: Path | None = None
        self.metadata = metadata

    def _is_file_path(self) -> bool:
        return self._filepath.suffix.lower() in _HDF5_SUFFIXES

    def _file_to_load(self) -> Path:
        if self._is_file_path():
            return self._filepath
        if self._saved_file is not None:
            return self._saved_file
        candidates = sorted(self._filepath.glob("*.hdf5")) if self._filepath.is_dir() else []
        if len(candidates) != 1:
            raise DatasetError(
                f"Cannot choose a tile file in '{self._filepath}': found {[c.name for c in candidates]}. "
                "Point the catalog entry's filepath at one <name>_<modality>.hdf5 file."
            )
        return candidates[0]

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "overwrite": self._overwrite}

    def _exists(self) -> bool:
        try:
            return self._file_to_load().is_file()
        except DatasetError:
            return False

    def load(self) -> TileSet:
        return TileSet(self._file_to_load())

    def save(self, data: TilePlan) -> None:
        target = self._filepath if self._is_file_path() else self._filepath / data.filename
        refuse_output_inside_inputs(target, data.source_roots)
        with atomic_file(target, overwrite=self._overwrite or data.overwrite) as temp:
            with h5py.File(temp, "w") as file:
                count = _write_plan(file, data)
        self._saved_file = target
        logger.info("Wrote %s: %d images, %d tiles of %d px.", target, len(data.images), count, data.tile_size)

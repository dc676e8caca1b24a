"""Tiles to translate as the catalog hands them over: the plan a node returns, the lazy set a node reads.

:class:`TilePlan` (data_engineering) lists the source images to tile, read when the tile-set
dataset writes them; :class:`TileSet` opens a written ``<name>_<modality>.hdf5`` lazily (one
image's tiles at a time), so a whole-slide image never needs all its tiles in memory. The layout
is in ``docs/ARCHITECTURE.md``; :mod:`axondeepsynth.datasets.tile_hdf5_dataset` writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import h5py

from axondeepsynth.errors import REBUILD_WITH_DATA_ENGINEERING, names_corrupt_file
from axondeepsynth.imaging.tiled_image_source import OriginalImageInfo, Tile, TiledImage


@dataclass
class TilePlan:
    """What the data_engineering pipeline hands to :class:`TileSetHDF5Dataset`.

    ``images`` are callables producing one :class:`TiledImage` each (read when called).
    """

    name: str
    modality: str
    tile_size: int
    overlap: int
    images: Sequence[Callable[[], TiledImage]]
    source_roots: tuple[Path, ...] = ()
    overwrite: bool = False

    @property
    def filename(self) -> str:
        """``<name>_<modality>.hdf5``."""
        return f"{self.name}_{self.modality}.hdf5"


def _reading(filepath: Path) -> AbstractContextManager[None]:
    """Name ``filepath`` in the error when h5py finds it truncated or corrupt."""
    return names_corrupt_file(filepath, "Tile set", REBUILD_WITH_DATA_ENGINEERING, (OSError,))


@dataclass(frozen=True)
class TileSetImage:
    """One source image of a :class:`TileSet`: its geometry and a lazy reader of its tiles."""

    filepath: Path
    modality: str
    index: int
    info: OriginalImageInfo
    first_tile: int
    tile_count: int

    @property
    def has_labels(self) -> bool:
        return self.info.label_path != ""

    def tiles(self) -> Iterator[Tile]:
        """Yield this image's tiles in stored (row-major) order, reading each from the file."""
        with _reading(self.filepath), h5py.File(self.filepath, "r") as file:
            group = file[self.modality]
            labels = group["labels"] if self.has_labels else None
            for key in map(str, range(self.first_tile, self.first_tile + self.tile_count)):
                dataset = group["images"][key]
                x, y = (int(v) for v in dataset.attrs["location"])
                yield Tile(
                    location=(x, y),
                    image=dataset[()],
                    labels=labels[key][()] if labels is not None else None,
                )


class TileSet(Sequence[TileSetImage]):
    """A tile file opened lazily: iterate over its source images, then over each image's tiles."""

    def __init__(self, filepath: Path | str) -> None:
        self.filepath = Path(filepath)
        with _reading(self.filepath), h5py.File(self.filepath, "r") as file:
            self.modality = str(file.attrs["modality"])
            self.tile_size = int(file.attrs["tile_size"])
            self.overlap = int(file.attrs["overlap"])
            originals = file[self.modality]["originals"]
            self._images = [
                _read_original(self.filepath, self.modality, k, originals[str(k)].attrs)
                for k in range(len(originals))
            ]

    def __len__(self) -> int:
        return len(self._images)

    def __getitem__(self, index: int) -> TileSetImage:  # type: ignore[override]
        return self._images[index]

    @property
    def num_tiles(self) -> int:
        """Total number of tiles of all images."""
        return sum(image.tile_count for image in self._images)

    def __repr__(self) -> str:
        return f"TileSet('{self.filepath}', {self.modality}, {len(self)} images, {self.num_tiles} tiles)"


def _read_original(filepath: Path, modality: str, index: int, attrs: h5py.AttributeManager) -> TileSetImage:
    info = OriginalImageInfo(
        path=str(attrs["path"]),
        label_path=str(attrs["label_path"]),
        case_id=str(attrs["case_id"]),
        original_shape=tuple(int(v) for v in attrs["original_shape"]),
        scaled_shape=tuple(int(v) for v in attrs["scaled_shape"]),
        padding=tuple(int(v) for v in attrs["padding"]),
        scale_factor=float(attrs["scale_factor"]),
        intensity=str(attrs.get("intensity", "")),
    )
    return TileSetImage(filepath, modality, index, info, int(attrs["first_tile"]), int(attrs["tile_count"]))

"""Images to translate from the tile set the data_engineering pipeline wrote (tiles precomputed).

The tile set (:class:`~axondeepsynth.artifacts.tile_set.TileSet`) is read lazily: one
image's tiles at a time, straight from the HDF5 file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from axondeepsynth.artifacts.tile_set import TileSet
from axondeepsynth.translation.image_tiles import ImageTiles, image_tiles_from
from axondeepsynth.translation.translated_case import SourceImage


@dataclass(frozen=True)
class TileSetSource:
    """The source images recorded in a tile set, with their stored tiles."""

    tile_set: TileSet

    @property
    def images(self) -> list[SourceImage]:
        """Where each source image and its labels are stored (from the ``originals`` records)."""
        return [
            SourceImage(
                path=Path(image.info.path),
                label_path=Path(image.info.label_path) if image.has_labels else None,
                case_id=image.info.case_id,
            )
            for image in self.tile_set
        ]

    @property
    def total_tiles(self) -> int:
        return self.tile_set.num_tiles

    def iter_tiles(self) -> Iterator[ImageTiles]:
        """Each image's stored tiles, read from the file while they are consumed."""
        for image in self.tile_set:
            yield image_tiles_from(image.info, image.tiles(), self.tile_set.tile_size, image.tile_count)

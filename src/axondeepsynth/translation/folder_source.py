"""Images to translate straight from a dataset folder (BIDS, nnU-Net raw or plain), tiled here.

Only file names (and image headers, for the tile count) are read up front; pixels (and labels,
whose shape is checked against the image) are read one image at a time while the engine asks for
its tiles, through the same :class:`~axondeepsynth.imaging.tiled_image_source.TiledImageSource`
that the data_engineering pipeline uses to write tile sets.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from axondeepsynth.imaging.image_io import image_shape
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import scaled_shape
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.imaging.tiling import tile_origins
from axondeepsynth.translation.image_tiles import ImageTiles, image_tiles_from
from axondeepsynth.translation.translated_case import SourceImage

logger = logging.getLogger(__name__)


def _grid_size(shape: tuple[int, int], tile_size: int, overlap: int) -> int:
    """Tiles covering a scaled image of ``shape`` once padded to at least one tile."""
    rows = tile_origins(max(shape[0], tile_size), tile_size, overlap)
    cols = tile_origins(max(shape[1], tile_size), tile_size, overlap)
    return len(rows) * len(cols)


@dataclass(frozen=True)
class FolderSource:
    """Source images found by :func:`axondeepsynth.imaging.sources.discover_images`, each with
    its own scale factor (a number, or derived from its pixel size), tiled when read.

    Attributes:
        sources: one :class:`TiledImageSource` per image, in translation order.
    """

    sources: Sequence[TiledImageSource]

    @classmethod
    def uniform(
        cls, records: Sequence[ImageRecord], tile_size: int, overlap: int, scale_factor: float
    ) -> FolderSource:
        """Every image scaled by the same factor and tiled alike."""
        return cls([TiledImageSource(r, scale_factor, tile_size, overlap) for r in records])

    @property
    def images(self) -> list[SourceImage]:
        """Where each source image and its labels are stored, in translation order."""
        return [
            SourceImage(path=s.record.path, label_path=s.record.label_path, case_id=s.record.sample)
            for s in self.sources
        ]

    @property
    def total_tiles(self) -> int:
        """Tiles over all images (reads image headers only)."""
        return sum(
            _grid_size(scaled_shape(image_shape(s.record.path, s.options.allow_large_images), s.scale_factor),
                       s.tile_size, s.overlap)
            for s in self.sources
        )

    def iter_tiles(self) -> Iterator[ImageTiles]:
        """Read, scale, pad and tile one image at a time."""
        for source in self.sources:
            tiled = source()
            count = _grid_size(tiled.info.scaled_shape, source.tile_size, source.overlap)
            yield image_tiles_from(tiled.info, tiled.tiles(), source.tile_size, count)

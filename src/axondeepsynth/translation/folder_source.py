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
from pathlib import Path

from PIL import Image

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


def _header_shape(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        width, height = image.size
    return height, width


@dataclass(frozen=True)
class FolderSource:
    """Source images listed by :func:`axondeepsynth.imaging.sources.discover_images`.

    Attributes:
        records: the images, in order.
        tile_size, overlap: tiling of the scaled image (pixels).
        scale_factor: multiplies each image's size before tiling.
    """

    records: Sequence[ImageRecord]
    tile_size: int
    overlap: int
    scale_factor: float

    @property
    def images(self) -> list[SourceImage]:
        """Where each source image and its labels are stored, in translation order."""
        return [SourceImage(path=r.path, label_path=r.label_path, case_id=r.sample) for r in self.records]

    @property
    def total_tiles(self) -> int:
        """Tiles over all images (reads image headers only)."""
        return sum(
            _grid_size(scaled_shape(_header_shape(r.path), self.scale_factor), self.tile_size, self.overlap)
            for r in self.records
        )

    def iter_tiles(self) -> Iterator[ImageTiles]:
        """Read, scale, pad and tile one image at a time."""
        for record in self.records:
            tiled = TiledImageSource(record, self.scale_factor, self.tile_size, self.overlap)()
            count = _grid_size(tiled.info.scaled_shape, self.tile_size, self.overlap)
            yield image_tiles_from(tiled.info, tiled.tiles(), self.tile_size, count)

"""Images to translate straight from a dataset folder (BIDS, nnU-Net raw or plain), tiled here.

Only file names (and image headers, for the tile count) are read up front; pixels are read one
image at a time while the engine asks for its tiles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import scaled_shape
from axondeepsynth.imaging.tiling import tile_origins
from axondeepsynth.translation.image_tiles import ImageTiles, tile_image
from axondeepsynth.translation.translated_case import SourceImage

logger = logging.getLogger(__name__)


def _tile_count(path: Path, tile_size: int, overlap: int, scale_factor: float) -> int:
    """Tiles of one image, from its header only (no pixel decoding)."""
    with Image.open(path) as image:
        width, height = image.size
    rows, cols = scaled_shape((height, width), scale_factor)
    return len(tile_origins(max(rows, tile_size), tile_size, overlap)) * len(
        tile_origins(max(cols, tile_size), tile_size, overlap)
    )


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
        """Tiles over all images (reads image headers)."""
        return sum(_tile_count(r.path, self.tile_size, self.overlap, self.scale_factor) for r in self.records)

    def iter_tiles(self) -> Iterator[ImageTiles]:
        """Read, scale and tile one image at a time."""
        for record in self.records:
            yield tile_image(read_grayscale(record.path), self.tile_size, self.overlap, self.scale_factor)

"""Translate whole images of any size by batches of tiles, and stitch them back seamlessly.

The engine takes a lazy stream of :class:`~axondeepsynth.translation.image_tiles.ImageTiles`,
fills batches of up to ``batch_size`` tiles (a batch may hold tiles of several small images, or a
part of one large image), hands each batch to a ``translate_fn``, blends the translated tiles into
the image they belong to (:class:`~axondeepsynth.imaging.stitching.TileAccumulator`), and yields
each finished image, in input order, cropped and resized back to its original size as uint8.

Memory is bounded by the batch and tile sizes, not by the number or size of images: only the
tiles of the current batch are held, plus, per image that has tiles in flight, its uint8 result
and a float32 band one tile high (a 10k x 10k image costs its 100 MB uint8 source and result and
about 10 MB of floats, never all its tiles nor a float copy).

Every tile of one image is translated with the same noise seed, derived from the run seed and the
image's index, so reruns reproduce and the style does not change from one tile to the next.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from axondeepsynth.imaging.rescaling import resize_image_to
from axondeepsynth.imaging.stitching import TileAccumulator
from axondeepsynth.imaging.unit_range import to_uint8_in_place, to_unit_range
from axondeepsynth.translation.image_tiles import ImageTiles, TileLayout

logger = logging.getLogger(__name__)

TranslateFn = Callable[[np.ndarray, Sequence[int]], np.ndarray]
"""``translate_fn(tiles, seeds)``: tiles (B, 1, T, T) float32 in [-1, 1] and one noise seed per
tile -> translated tiles of the same shape in [-1, 1]."""


class IncompleteImageError(RuntimeError):
    """An image's tile stream ended before every tile of its layout was delivered."""


def image_seed(run_seed: int, image_index: int) -> int:
    """Noise seed of one image: a hash of the run seed and the image's index (0 .. 2**31 - 1)."""
    state = np.random.SeedSequence((int(run_seed), int(image_index))).generate_state(1)[0]
    return int(state) & 0x7FFFFFFF


@dataclass
class TranslationStats:
    """Counts and time spent inside ``translate_fn`` (seconds) for throughput figures."""

    images: int = 0
    tiles: int = 0
    batches: int = 0
    translate_seconds: float = 0.0

    @property
    def tiles_per_second(self) -> float:
        """Tiles translated per second of model time (0 before any batch ran)."""
        return self.tiles / self.translate_seconds if self.translate_seconds > 0 else 0.0


@dataclass
class _ImageInProgress:
    index: int
    layout: TileLayout
    seed: int
    accumulator: TileAccumulator
    remaining: int


@dataclass
class _PendingTile:
    image: _ImageInProgress
    y: int
    x: int
    tile: np.ndarray


@dataclass
class TiledTranslationEngine:
    """Batched, stitched translation of whole images through a tile-level ``translate_fn``.

    Attributes:
        translate_fn: see :data:`TranslateFn`.
        batch_size: most tiles per ``translate_fn`` call.
        run_seed: seeds every image's noise through :func:`image_seed`.
        stats: updated while images are translated.
        keep_scaled_size: yield images at their scaled size (the working pixel size, for a
            tutorship dataset) instead of resizing them back to their original size.
    """

    translate_fn: TranslateFn
    batch_size: int
    run_seed: int = 0
    stats: TranslationStats = field(default_factory=TranslationStats)
    keep_scaled_size: bool = False

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got batch_size={self.batch_size}.")

    def _run_batch(self, batch: list[_PendingTile]) -> None:
        tiles = to_unit_range(np.stack([pending.tile for pending in batch])[:, None])
        seeds = [pending.image.seed for pending in batch]
        started = time.perf_counter()
        translated = np.asarray(self.translate_fn(tiles, seeds), dtype=np.float32)
        self.stats.translate_seconds += time.perf_counter() - started
        if translated.shape != tiles.shape:
            raise ValueError(f"translate_fn returned shape {translated.shape} for tiles of shape {tiles.shape}.")
        for pending, values in zip(batch, translated[:, 0]):
            pending.image.accumulator.add(pending.y, pending.x, values)
            pending.image.remaining -= 1
        self.stats.tiles += len(batch)
        self.stats.batches += 1

    def _finish(self, image: _ImageInProgress) -> np.ndarray:
        """Stitched uint8 image -> padding cropped -> resized to the original shape (unless
        ``keep_scaled_size``)."""
        layout = image.layout
        stitched = image.accumulator.result()
        translated = np.ascontiguousarray(stitched[: layout.scaled_shape[0], : layout.scaled_shape[1]])
        self.stats.images += 1
        return translated if self.keep_scaled_size else resize_image_to(translated, layout.original_shape)

    def _drain_finished(self, in_flight: deque[_ImageInProgress]) -> Iterator[np.ndarray]:
        while in_flight and in_flight[0].remaining == 0:
            yield self._finish(in_flight.popleft())

    def _start(self, index: int, layout: TileLayout) -> _ImageInProgress:
        if layout.tile_count < 1:
            raise IncompleteImageError(f"image {index} has no tiles (tile_count={layout.tile_count}).")
        return _ImageInProgress(
            index=index,
            layout=layout,
            seed=image_seed(self.run_seed, index),
            accumulator=TileAccumulator(layout.padded_shape, layout.tile_size, convert=to_uint8_in_place,
                                        dtype=np.uint8),
            remaining=layout.tile_count,
        )

    def translate(self, images: Iterable[ImageTiles], total_tiles: int | None = None) -> Iterator[np.ndarray]:
        """Yield each image translated, uint8 at its original shape, in input order.

        Args:
            images: lazily produced tiles of each image; consumed once.
            total_tiles: number of tiles over all images, for the progress bar only.

        Raises:
            IncompleteImageError: an image delivered fewer tiles than its layout lists.
        """
        in_flight: deque[_ImageInProgress] = deque()
        batch: list[_PendingTile] = []
        with tqdm(total=total_tiles, unit="tile", desc="Translating tiles") as progress:
            for index, item in enumerate(images):
                image = self._start(index, item.layout)
                in_flight.append(image)
                for y, x, tile in item.tiles:
                    batch.append(_PendingTile(image, y, x, tile))
                    if len(batch) == self.batch_size:
                        self._run_batch(batch)
                        progress.update(len(batch))
                        batch = []
                        yield from self._drain_finished(in_flight)
            if batch:
                self._run_batch(batch)
                progress.update(len(batch))
            yield from self._drain_finished(in_flight)
        if in_flight:
            raise IncompleteImageError(
                f"image {in_flight[0].index} is missing {in_flight[0].remaining} of its "
                f"{in_flight[0].layout.tile_count} tiles; the tile source is incomplete."
            )
        logger.info(
            "Translated %d images (%d tiles in %d batches) at %.2f tiles/s.",
            self.stats.images,
            self.stats.tiles,
            self.stats.batches,
            self.stats.tiles_per_second,
        )

"""Where a translation can be trusted, without an oracle: spread over noise draws and cycle error.

SynDiff samples: the same image translated with other noise gives another translation. Where the
draws disagree, the generator is not sure what belongs there, which is where a fibre can appear
in one draw and vanish in another. So every image is translated ``draws`` times (K, 4 by
default), each draw with its own noise seed, and the per-pixel standard deviation over the draws
is kept (the *spread*, grey levels 0-255 of the uint8 translations). Draw 0 uses the seed the
translation pipeline gives the image (:func:`~axondeepsynth.translation.tiled_translation.image_seed`
of the run seed and the image's index), so it *is* the translation the arm segments. That
translation is then translated back with the reverse generator and compared with the input:
the *cycle error* |x - back(forward(x))| (grey levels) is high where the round trip does not
come home, i.e. where content was added or removed.

Both maps are at the image's original size. Tiles (a square grid of ``flag_tile`` pixels) and
images are flagged when their mean spread or mean cycle error exceed thresholds; the maps are
saved beside the translations as PNGs whose values are grey levels (:func:`as_grey_levels`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from axondeepsynth.imaging.rescaling import ScaleFactor
from axondeepsynth.translation.image_tiles import tile_image
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine, TranslateFn, image_seed

logger = logging.getLogger(__name__)

SPREAD_SUFFIX = "_spread"
CYCLE_SUFFIX = "_cycle_error"


class TrustParameterError(ValueError):
    """A trust-map setting is out of range."""


@dataclass(frozen=True)
class TrustSettings:
    """How trust maps are made and flagged (sizes in pixels, thresholds in grey levels 0-255).

    Attributes:
        draws: translations per image with different noise (K >= 2).
        run_seed: the translation's run seed; draw k of image i uses ``image_seed(run_seed + k, i)``.
        tile_size, overlap, batch_size: tiling of the translation engine, as the translation
            pipeline uses them.
        flag_tile: side of the square grid cells that are flagged (original image pixels).
        spread_threshold, cycle_threshold: a cell or image whose mean spread / mean cycle error
            is above these is flagged.
    """

    draws: int = 4
    run_seed: int = 0
    tile_size: int = 64
    overlap: int = 16
    batch_size: int = 8
    flag_tile: int = 64
    spread_threshold: float = 20.0
    cycle_threshold: float = 40.0

    def __post_init__(self) -> None:
        if self.draws < 2:
            raise TrustParameterError(
                f"trust_map.draws must be at least 2 (a spread needs two draws), got {self.draws}.")
        if self.flag_tile < 1:
            raise TrustParameterError(f"trust_map.flag_tile must be a positive number of pixels, got {self.flag_tile}.")
        if self.spread_threshold < 0 or self.cycle_threshold < 0:
            raise TrustParameterError(
                "trust_map.spread_threshold and cycle_threshold are grey levels >= 0, got "
                f"{self.spread_threshold} and {self.cycle_threshold}."
            )


@dataclass(frozen=True)
class TrustMap:
    """The trust maps of one image, all at its original size.

    Attributes:
        translation: uint8, draw 0 (the translation the arm uses).
        spread: float32 per-pixel standard deviation over the draws (grey levels).
        cycle_error: float32 |input - reverse(translation)| (grey levels).
    """

    translation: np.ndarray
    spread: np.ndarray
    cycle_error: np.ndarray


@dataclass(frozen=True)
class TrustFlags:
    """What is flagged in one image.

    Attributes:
        mean_spread, mean_cycle_error: over the whole image (grey levels).
        flagged_tiles: (y, x) top-left corners of the flagged grid cells.
        tiles: cells in the grid.
        flagged: the image's mean spread or mean cycle error is above its threshold.
    """

    mean_spread: float
    mean_cycle_error: float
    flagged_tiles: list[tuple[int, int]]
    tiles: int
    flagged: bool


class _FixedSeed:
    """``translate_fn`` that gives every tile one noise seed (an image translated on its own)."""

    def __init__(self, translate_fn: TranslateFn, seed: int) -> None:
        self._translate_fn = translate_fn
        self._seed = seed

    def __call__(self, tiles: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        return self._translate_fn(tiles, [self._seed] * len(tiles))


def _translate(image: np.ndarray, translate_fn: TranslateFn, seed: int, settings: TrustSettings,
               scale_factor: ScaleFactor) -> np.ndarray:
    engine = TiledTranslationEngine(_FixedSeed(translate_fn, seed), settings.batch_size)
    tiles = tile_image(image, settings.tile_size, settings.overlap, scale_factor)
    (translated,) = engine.translate([tiles], total_tiles=tiles.layout.tile_count)
    return translated


def trust_map(image: np.ndarray, index: int, forward: TranslateFn, backward: TranslateFn,
              settings: TrustSettings, scale_factor: ScaleFactor = 1.0,
              first_draw: np.ndarray | None = None) -> TrustMap:
    """The trust maps of ``image`` (uint8, 2-D), the ``index``-th image of its translation run.

    Args:
        forward: translates into the target modality (the arm's generator).
        backward: translates the target modality back (the other direction of the same model).
        scale_factor: multiplies the image size before tiling, as the translation run scaled it.
        first_draw: the run's own translation of ``image`` (uint8, same shape), when it is on
            disk: it is draw 0 and is not translated again.
    """
    if first_draw is not None and first_draw.shape != image.shape:
        raise ValueError(f"the first draw has shape {first_draw.shape} but the image {image.shape}.")
    translation = first_draw
    mean = np.zeros(image.shape, np.float64)
    squares = np.zeros(image.shape, np.float64)
    for draw in range(settings.draws):
        if draw == 0 and first_draw is not None:
            translated = first_draw
        else:
            translated = _translate(image, forward, image_seed(settings.run_seed + draw, index), settings, scale_factor)
        translation = translated if translation is None else translation
        values = translated.astype(np.float64)
        mean += values
        squares += values * values
    mean /= settings.draws
    spread = np.sqrt(np.maximum(squares / settings.draws - mean * mean, 0.0)).astype(np.float32)
    back = _translate(translation, backward, image_seed(settings.run_seed, index), settings, scale_factor)
    cycle_error = np.abs(image.astype(np.float32) - back.astype(np.float32))
    return TrustMap(translation, spread, cycle_error)


def _cell_means(values: np.ndarray, cell: int) -> dict[tuple[int, int], float]:
    return {(y, x): float(values[y : y + cell, x : x + cell].mean())
            for y in range(0, values.shape[0], cell) for x in range(0, values.shape[1], cell)}


def flag_trust(trust: TrustMap, settings: TrustSettings) -> TrustFlags:
    """Flag the grid cells and the image whose mean spread or cycle error exceed the thresholds."""
    spread = _cell_means(trust.spread, settings.flag_tile)
    cycle = _cell_means(trust.cycle_error, settings.flag_tile)
    flagged_tiles = [origin for origin in spread
                     if spread[origin] > settings.spread_threshold or cycle[origin] > settings.cycle_threshold]
    mean_spread = float(trust.spread.mean())
    mean_cycle = float(trust.cycle_error.mean())
    return TrustFlags(mean_spread, mean_cycle, flagged_tiles, len(spread),
                      mean_spread > settings.spread_threshold or mean_cycle > settings.cycle_threshold)


def as_grey_levels(values: np.ndarray) -> np.ndarray:
    """A float map in grey levels as a uint8 image (rounded, clipped at 255)."""
    return np.rint(values).clip(0, 255).astype(np.uint8)

"""Stitching: identity tiles rebuild the image exactly, overlaps blend without seams."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.stitching import TileAccumulator, TileGridError, blend_window
from axondeepsynth.imaging.tiling import iter_tile_origins, pad_to_tile


@pytest.fixture(scope="module")
def tem_image(real_data_dir: Path) -> np.ndarray:
    """The real TEM sample (uint8, 999 x 2000)."""
    path = real_data_dir / "tem_bids" / "sub-mouse1" / "micr" / "sub-mouse1_sample-top_TEM.png"
    return np.asarray(Image.open(path).convert("L"))


def _stitch_identity(image: np.ndarray, tile: int, overlap: int) -> np.ndarray:
    """Cut ``image`` into tiles, map them to [-1, 1] and back unchanged, stitch, crop, round to uint8."""
    padded, (pad_bottom, pad_right) = pad_to_tile(image, tile)
    values = padded.astype(np.float32) / 127.5 - 1.0
    accumulator = TileAccumulator(padded.shape, tile)
    for y, x in iter_tile_origins(padded.shape, tile, overlap):
        accumulator.add(y, x, values[y : y + tile, x : x + tile])
    stitched = accumulator.result()[: image.shape[0], : image.shape[1]]
    return np.clip(np.rint((stitched + 1.0) * 127.5), 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("height", "width", "tile", "overlap"),
    [
        (128, 192, 64, 0),  # a multiple of the tile, no overlap
        (128, 192, 64, 16),  # a multiple of the tile, overlapping
        (101, 157, 64, 0),  # not a multiple: the last tiles overlap more than asked
        (101, 157, 64, 24),
        (40, 30, 64, 16),  # smaller than one tile: padded, then cropped
        (40, 300, 64, 8),  # smaller than a tile along one side only
    ],
)
def test_identity_tiles_rebuild_the_image_exactly(tem_image, height, width, tile, overlap):
    crop = tem_image[300 : 300 + height, 500 : 500 + width]
    assert np.array_equal(_stitch_identity(crop, tile, overlap), crop)


def test_whole_real_image_with_large_overlap_is_rebuilt(tem_image):
    assert np.array_equal(_stitch_identity(tem_image, 256, 96), tem_image)


def test_blending_hides_seams_that_pasting_would_leave(tem_image):
    """Tiles translated with different brightness offsets: the step between neighbouring pixels
    at a seam stays far below the offset difference, because overlaps cross-fade."""
    tile, overlap = 64, 32
    crop = tem_image[200:264, 400:560].astype(np.float32) / 127.5 - 1.0
    accumulator = TileAccumulator(crop.shape, tile)
    for index, (y, x) in enumerate(iter_tile_origins(crop.shape, tile, overlap)):
        accumulator.add(y, x, crop[y : y + tile, x : x + tile] + 0.5 * (index % 2))
    offset = accumulator.result() - crop
    largest_step = np.abs(np.diff(offset, axis=1)).max()
    assert largest_step < 0.1, f"seam step {largest_step:.3f} vs offset difference 0.5"


def test_window_is_positive_everywhere_and_peaks_in_the_centre():
    window = blend_window(64)
    assert window.min() > 0
    assert window[31, 31] == window.max()
    assert np.allclose(window, window.T)


def test_missing_tile_is_reported(tem_image):
    accumulator = TileAccumulator((128, 128), 64)
    values = tem_image[:128, :128].astype(np.float32)
    for y, x in list(iter_tile_origins((128, 128), 64, 0))[:-1]:
        accumulator.add(y, x, values[y : y + 64, x : x + 64])
    with pytest.raises(TileGridError, match="never added"):
        accumulator.result()


def test_tile_outside_the_image_and_duplicates_are_refused():
    accumulator = TileAccumulator((100, 100), 64)
    tile = np.zeros((64, 64), dtype=np.float32)
    with pytest.raises(TileGridError, match="outside"):
        accumulator.add(40, 0, tile)
    accumulator.add(0, 0, tile)
    with pytest.raises(TileGridError, match="twice"):
        accumulator.add(0, 0, tile)


def test_uncovered_pixels_are_reported():
    accumulator = TileAccumulator((64, 200), 64)
    tile = np.zeros((64, 64), dtype=np.float32)
    accumulator.add(0, 0, tile)
    accumulator.add(0, 136, tile)
    with pytest.raises(TileGridError, match="uncovered"):
        accumulator.result()


def test_rows_are_converted_band_by_band_and_must_come_in_order(tem_image):
    """With a converter the result is uint8 and floats stay one tile high; tiles out of row order are refused."""
    tile, overlap = 64, 16
    crop = tem_image[:200, :300]
    padded, _ = pad_to_tile(crop, tile)
    values = padded.astype(np.float32) / 127.5 - 1.0
    to_uint8 = lambda band: np.clip(np.rint((band + 1.0) * 127.5), 0, 255).astype(np.uint8)  # noqa: E731
    accumulator = TileAccumulator(padded.shape, tile, convert=to_uint8, dtype=np.uint8)
    origins = list(iter_tile_origins(padded.shape, tile, overlap))
    for y, x in origins:
        accumulator.add(y, x, values[y : y + tile, x : x + tile])
    assert accumulator._band.shape == (tile, padded.shape[1])
    stitched = accumulator.result()
    assert stitched.dtype == np.uint8 and np.array_equal(stitched, padded)

    backwards = TileAccumulator(padded.shape, tile)
    second_row = next(y for y, _ in origins if y > 0)
    for y, x in [(0, 0), (0, 48), (0, 96), (0, 144), (0, 192), (0, 236), (second_row, 0)]:
        backwards.add(y, x, values[y : y + tile, x : x + tile])
    with pytest.raises(TileGridError, match="row by row"):
        backwards.add(0, 0, values[:tile, :tile])

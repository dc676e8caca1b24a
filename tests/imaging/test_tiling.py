"""Tile placement covers every pixel, stays inside the image and honours the overlap."""

from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.tiling import iter_tile_origins, pad_to_tile, tile_origins


@pytest.mark.parametrize("tile,overlap", [(64, 16), (64, 0), (96, 95), (128, 32)])
def test_origins_cover_each_length_with_overlap(tile: int, overlap: int) -> None:
    for length in range(tile, 5 * tile + 7, 7):
        origins = tile_origins(length, tile, overlap)
        assert origins[0] == 0 and origins[-1] == length - tile
        covered = np.zeros(length, dtype=bool)
        for start in origins:
            covered[start : start + tile] = True
        assert covered.all()
        gaps = np.diff(origins)
        assert (gaps > 0).all() and (gaps <= tile - overlap).all()


def test_short_length_gives_single_origin() -> None:
    assert tile_origins(10, 64, 16) == [0]
    assert tile_origins(64, 64, 16) == [0]


@pytest.mark.parametrize("tile,overlap", [(0, 0), (64, 64), (64, -1)])
def test_bad_tile_or_overlap_is_refused(tile: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="tile|overlap"):
        tile_origins(100, tile, overlap)


def test_tiles_of_real_image_reassemble_it(real_data_dir: Path) -> None:
    path = next((real_data_dir / "tem_bids").rglob("*_TEM.png"))
    image = read_grayscale(path)[:300, :500]
    rebuilt = np.zeros_like(image)
    origins = list(iter_tile_origins(image.shape, 128, 32))
    assert len(origins) == len(tile_origins(300, 128, 32)) * len(tile_origins(500, 128, 32))
    for y, x in origins:
        rebuilt[y : y + 128, x : x + 128] = image[y : y + 128, x : x + 128]
    np.testing.assert_array_equal(rebuilt, image)


def test_pad_to_tile_reflects_at_bottom_right(real_data_dir: Path) -> None:
    path = next((real_data_dir / "tem_bids").rglob("*_TEM.png"))
    crop = read_grayscale(path)[:40, :100]
    padded, padding = pad_to_tile(crop, 64)
    assert padded.shape == (64, 100) and padding == (24, 0)
    np.testing.assert_array_equal(padded[:40], crop)
    np.testing.assert_array_equal(padded[40], crop[38])
    unchanged, none = pad_to_tile(crop, 32)
    assert unchanged is crop and none == (0, 0)
    thin, thin_padding = pad_to_tile(crop[:1, :10], 64)
    assert thin.shape == (64, 64) and thin_padding == (63, 54) and (thin[:, :10] == crop[0, :10]).all()

"""Every file flavour real users have reads as the same uint8 grayscale / {0,1,2} label array."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_io import ImageReadError, read_grayscale, read_label_map, write_png_atomic


@pytest.fixture(scope="module")
def sem_crop(real_data_dir: Path) -> np.ndarray:
    path = real_data_dir / "sem_bids" / "sub-rat1" / "micr" / "sub-rat1_sample-data1_SEM.png"
    return np.asarray(Image.open(path))[:120, :160]


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
def test_modes_read_as_same_gray(tmp_path: Path, sem_crop: np.ndarray, mode: str) -> None:
    path = tmp_path / f"img_{mode}.png"
    Image.fromarray(sem_crop).convert(mode).save(path)
    gray = read_grayscale(path)
    assert gray.dtype == np.uint8 and gray.shape == sem_crop.shape
    assert np.abs(gray.astype(int) - sem_crop).max() <= 1


def test_coloured_rgb_uses_luma(tmp_path: Path, sem_crop: np.ndarray) -> None:
    rgb = np.stack([sem_crop, sem_crop // 2, 255 - sem_crop], axis=-1)
    Image.fromarray(rgb).save(tmp_path / "rgb.png")
    expected = np.asarray(Image.fromarray(rgb).convert("L")).astype(int)
    assert np.abs(read_grayscale(tmp_path / "rgb.png").astype(int) - expected).max() <= 1


def test_sixteen_bit_tiff_and_png_use_full_range(tmp_path: Path, sem_crop: np.ndarray) -> None:
    wide = sem_crop.astype(np.uint16) * 257
    for name in ("img16.tif", "img16.png"):
        Image.fromarray(wide).save(tmp_path / name)
        np.testing.assert_array_equal(read_grayscale(tmp_path / name), sem_crop)


def test_jpeg_is_close(tmp_path: Path, sem_crop: np.ndarray) -> None:
    Image.fromarray(sem_crop).save(tmp_path / "img.jpg", quality=95)
    gray = read_grayscale(tmp_path / "img.jpg")
    assert np.abs(gray.astype(float) - sem_crop).mean() < 3.0


def test_truncated_and_missing_files_name_the_path(tmp_path: Path, sem_crop: np.ndarray) -> None:
    full = tmp_path / "full.png"
    Image.fromarray(sem_crop).save(full)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(ImageReadError, match="truncated.png"):
        read_grayscale(truncated)
    with pytest.raises(ImageReadError, match="absent.png"):
        read_grayscale(tmp_path / "absent.png")
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(ImageReadError, match="text.png"):
        read_grayscale(tmp_path / "text.png")


def test_real_combined_masks_map_to_classes(real_data_dir: Path) -> None:
    masks = sorted(real_data_dir.rglob("*_seg-axonmyelin-manual.png"))
    assert len(masks) == 8
    for mask in masks:
        raw = np.asarray(Image.open(mask))
        raw = raw[..., 0] if raw.ndim == 3 else raw
        labels = read_label_map(mask)
        assert set(np.unique(labels)) == {0, 1, 2}
        np.testing.assert_array_equal(labels == 2, raw == 255)
        np.testing.assert_array_equal(labels == 1, (raw == 127) | (raw == 128))


def test_label_maps_tolerate_strays_and_keep_class_maps(tmp_path: Path, real_data_dir: Path) -> None:
    mask = next((real_data_dir / "tem_bids").rglob("*_seg-axonmyelin-manual.png"))
    labels = read_label_map(mask)
    write_png_atomic(tmp_path / "classes.png", labels)
    np.testing.assert_array_equal(read_label_map(tmp_path / "classes.png"), labels)
    noisy = np.asarray(Image.open(mask)).astype(np.int16)
    noisy[noisy == 128] = 131
    noisy[noisy == 255] = 250
    Image.fromarray(noisy.astype(np.uint8)).save(tmp_path / "noisy.png")
    np.testing.assert_array_equal(read_label_map(tmp_path / "noisy.png"), labels)


def test_write_png_atomic_is_single_channel_and_guarded(tmp_path: Path, sem_crop: np.ndarray) -> None:
    target = tmp_path / "out.png"
    write_png_atomic(target, sem_crop)
    with Image.open(target) as image:
        assert image.mode == "L"
    np.testing.assert_array_equal(read_grayscale(target), sem_crop)
    with pytest.raises(FileExistsError, match="out.png"):
        write_png_atomic(target, sem_crop[::-1])
    write_png_atomic(target, sem_crop[::-1], overwrite=True)
    np.testing.assert_array_equal(read_grayscale(target), sem_crop[::-1])
    with pytest.raises(ValueError, match="2-D uint8"):
        write_png_atomic(tmp_path / "bad.png", sem_crop.astype(np.float32))

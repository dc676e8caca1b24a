"""Lazy scaled and tiled image sources read, check and cut the real samples correctly."""

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_checks import LabelShapeMismatchError, check_records
from axondeepsynth.imaging.image_io import ImageReadError, read_grayscale, read_label_map
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError
from axondeepsynth.imaging.rescaling import rescale_image, rescale_labels, resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource


@pytest.fixture(scope="module")
def tem_record(real_data_dir: Path) -> ImageRecord:
    (record,) = discover_images(real_data_dir / "tem_bids", modality="tem")
    return record


def test_scaled_source_reads_lazily_with_attrs(tem_record: ImageRecord) -> None:
    source = ScaledImageSource(tem_record, 0.1)
    image = source()
    np.testing.assert_array_equal(image, rescale_image(read_grayscale(tem_record.path), 0.1))
    assert image.shape == (100, 200)
    assert source.attrs["pixel_size_um"] == pytest.approx(0.0236)
    assert source.attrs["subject"] == "sub-mouse1" and source.attrs["scale_factor"] == 0.1
    unknown = ScaledImageSource(ImageRecord(tem_record.path, "tem", None, "x"), 1.0)
    assert math.isnan(unknown.attrs["pixel_size_um"]) and unknown.attrs["subject"] == ""


def test_tiles_reassemble_scaled_image_and_labels(tem_record: ImageRecord) -> None:
    tiled = TiledImageSource(tem_record, 0.3, 128, 32)()
    assert tiled.info.original_shape == (999, 2000) and tiled.info.scaled_shape == (300, 600)
    assert tiled.info.padding == (0, 0) and tiled.info.case_id == tem_record.sample
    expected_labels = rescale_labels(read_label_map(tem_record.label_path), 0.3)
    image = np.zeros(tiled.info.scaled_shape, np.uint8)
    labels = np.full(tiled.info.scaled_shape, 9, np.uint8)
    for tile in tiled.tiles():
        x, y = tile.location
        assert tile.image.shape == tile.labels.shape == (128, 128)
        image[y : y + 128, x : x + 128] = tile.image
        labels[y : y + 128, x : x + 128] = tile.labels
    np.testing.assert_array_equal(image, rescale_image(read_grayscale(tem_record.path), 0.3))
    np.testing.assert_array_equal(labels, expected_labels)


def test_small_image_is_padded_and_recorded(tem_record: ImageRecord) -> None:
    tiled = TiledImageSource(tem_record, 0.05, 128, 32)()
    assert tiled.info.scaled_shape == (50, 100) and tiled.info.padding == (78, 28)
    (tile,) = list(tiled.tiles())
    assert tile.location == (0, 0) and tile.image.shape == (128, 128)
    np.testing.assert_array_equal(tile.image[:50, :100], rescale_image(read_grayscale(tem_record.path), 0.05))


def test_checks_refuse_truncated_labels_and_mismatched_masks(tmp_path: Path, tem_record: ImageRecord) -> None:
    check_records([tem_record], with_labels=True)
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(tem_record.path.read_bytes()[:5000])
    with pytest.raises(ImageReadError, match="cut.png"):
        check_records([ImageRecord(truncated, "tem", None, "cut")])
    as_image = ImageRecord(tem_record.label_path, "tem", None, "mask")
    with pytest.raises(LabelMapAmongImagesError, match="seg-axonmyelin"):
        check_records([as_image])
    small_mask = tmp_path / "small_mask.png"
    Image.open(tem_record.label_path).crop((0, 0, 100, 50)).save(small_mask)
    shutil.copy(tem_record.path, tmp_path / "image.png")
    mismatched = ImageRecord(tmp_path / "image.png", "tem", None, "image", label_path=small_mask)
    check_records([mismatched])
    with pytest.raises(LabelShapeMismatchError, match="small_mask.png"):
        check_records([mismatched], with_labels=True)


def test_resolve_scale_factor() -> None:
    assert resolve_scale_factor(0.5, None, None, "src") == 0.5
    assert resolve_scale_factor("auto", 0.2, 0.1, "src") == pytest.approx(2.0)
    with pytest.raises(ValueError, match="target_pixel_size_um"):
        resolve_scale_factor("auto", 0.2, None, "src")
    with pytest.raises(ValueError, match="img.png.*PixelSize"):
        resolve_scale_factor("auto", None, 0.1, "img.png")
    for bad in (0, -1.0, "half", True, float("nan")):
        with pytest.raises(ValueError, match="positive number or 'auto'"):
            resolve_scale_factor(bad, 0.1, 0.1, "src")

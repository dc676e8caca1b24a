"""Wide intensities keep their contrast: 12-bit in a 16-bit PNG, dim 16-bit images, percentile
windows, 16-bit masks; the label-map check judges the stored values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_checks import read_checked_image
from axondeepsynth.imaging.image_io import (
    IntensityMapping,
    ReadOptions,
    read_grayscale,
    read_grayscale_with_mapping,
    read_label_map,
)
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError


@pytest.fixture(scope="module")
def tem(real_data_dir: Path) -> np.ndarray:
    return read_grayscale(next((real_data_dir / "tem_bids").rglob("*_TEM.png")))[:300, :400]


def _save16(path: Path, values: np.ndarray) -> Path:
    Image.fromarray(values.astype(np.uint16)).save(path)
    return path


def test_a_12_bit_image_in_a_16_bit_png_keeps_its_contrast(tmp_path: Path, tem: np.ndarray) -> None:
    twelve_bit = np.round(tem.astype(np.float64) * 4095 / 255)
    path = _save16(tmp_path / "tem12.png", twelve_bit)
    image, mapping = read_grayscale_with_mapping(path)
    assert mapping.as_dict() == {"source_dtype": "uint16", "mode": "bit_depth", "black": 0.0, "white": 4095.0,
                                 "bits": 12}
    assert np.abs(image.astype(int) - tem).max() <= 1
    assert np.unique(image).size > 200  # a division by 257 would leave 17 grey levels (0-16)
    assert np.unique(np.round(twelve_bit / 257)).size <= 17


def test_a_dim_16_bit_image_is_a_micrograph_not_a_label_map(tmp_path: Path, tem: np.ndarray) -> None:
    dim = np.round(tem.astype(np.float64) * 600 / 255)  # values 0-600, 10 bits
    path = _save16(tmp_path / "dim.png", dim)
    image, mapping = read_checked_image(ImageRecord(path, "tem", None, "dim"))
    assert mapping.bits == 10 and image.max() >= 140 and np.unique(image).size > 100

    window, used = read_checked_image(ImageRecord(path, "tem", None, "dim"),
                                      ReadOptions(IntensityMapping("percentile", 1.0, 99.0)))
    assert used.mode == "percentile" and used.black == pytest.approx(np.percentile(dim, 1.0))
    assert used.white == pytest.approx(np.percentile(dim, 99.0))
    assert np.mean(window == 0) == pytest.approx(0.01, abs=0.01) and np.mean(window == 255) <= 0.02


def test_16_bit_masks_are_normalised_before_thresholding(tmp_path: Path, real_data_dir: Path) -> None:
    mask_path = next((real_data_dir / "tem_bids").rglob("*_seg-axonmyelin-manual.png"))
    classes = read_label_map(mask_path)
    wide = _save16(tmp_path / "mask16.png", np.asarray(Image.open(mask_path).convert("L")).astype(np.uint32) * 257)
    np.testing.assert_array_equal(read_label_map(wide), classes)
    with pytest.raises(LabelMapAmongImagesError, match="mask16.png"):
        read_checked_image(ImageRecord(wide, "tem", None, "mask"))


def test_intensity_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="intensity.mode"):
        IntensityMapping("gamma")
    with pytest.raises(ValueError, match="low < high"):
        ReadOptions.from_params({"mode": "percentile", "low": 99, "high": 1})

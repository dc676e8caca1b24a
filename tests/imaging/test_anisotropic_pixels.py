"""Anisotropic pixels (BIDS PixelSize [width, height]) are resampled per axis to square ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images


def test_anisotropic_pixels_become_square_at_the_working_size(tmp_path: Path, real_data_dir: Path) -> None:
    root = tmp_path / "bids"
    micr = root / "sub-a" / "micr"
    micr.mkdir(parents=True)
    source = next((real_data_dir / "sem_bids").rglob("sub-rat4_sample-data12_SEM.png"))
    shutil.copy(source, micr / "sub-a_sample-s1_SEM.png")
    (root / "dataset_description.json").write_text("{}")
    (micr / "sub-a_sample-s1_SEM.json").write_text(json.dumps({"PixelSize": [0.1, 0.2], "PixelSizeUnits": "um"}))
    (record,) = discover_images(root)
    assert record.pixel_size_yx_um == pytest.approx((0.2, 0.1))  # rows 0.2 um high, columns 0.1 um wide
    factor = resolve_scale_factor("auto", record.pixel_sizes_yx_um, 0.1, "test")
    assert factor == pytest.approx((2.0, 1.0))
    original = read_grayscale(source)
    scaled = ScaledImageSource(record, factor)
    assert scaled().shape == (2 * original.shape[0], original.shape[1])
    assert scaled.attrs["pixel_size_um"] == pytest.approx(0.1)
    assert scaled.attrs["scale_factor"] == pytest.approx([2.0, 1.0])
    assert resolve_scale_factor("auto", (0.1, 0.1005), 0.05, "test") == pytest.approx(2.0)  # rounding, not anisotropy

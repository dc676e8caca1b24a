"""Rescaling keeps intensities in uint8, suppresses aliasing and keeps labels in {0,1,2}."""

from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.rescaling import (
    rescale_image,
    rescale_labels,
    resize_image_to,
    resize_labels_to,
    scaled_shape,
)


@pytest.fixture(scope="module")
def tem(real_data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    micr = real_data_dir / "tem_bids"
    image = read_grayscale(next(micr.rglob("*_TEM.png")))[:400, :600]
    labels = read_label_map(next(micr.rglob("*_seg-axonmyelin-manual.png")))[:400, :600]
    return image, labels


def test_shrinking_is_anti_aliased(tem: tuple[np.ndarray, np.ndarray]) -> None:
    image, _ = tem
    small = rescale_image(image, 0.25)
    assert small.dtype == np.uint8 and small.shape == (100, 150)
    naive = image[::4, ::4]
    block_mean = image.reshape(100, 4, 150, 4).mean(axis=(1, 3))
    assert np.abs(small - block_mean).mean() < np.abs(naive - block_mean).mean()
    assert abs(float(small.mean()) - float(image.mean())) < 2.0


def test_enlarging_and_identity(tem: tuple[np.ndarray, np.ndarray]) -> None:
    image, _ = tem
    big = rescale_image(image[:50, :60], 2.0)
    assert big.shape == (100, 120) and big.dtype == np.uint8
    assert rescale_image(image, 1.0) is image


def test_labels_stay_classes_and_align(tem: tuple[np.ndarray, np.ndarray]) -> None:
    image, labels = tem
    small_labels = rescale_labels(labels, 0.3)
    assert small_labels.shape == rescale_image(image, 0.3).shape == scaled_shape(image.shape, 0.3)
    assert set(np.unique(small_labels)) == {0, 1, 2}
    fractions = [np.mean(labels == c) for c in range(3)]
    small_fractions = [np.mean(small_labels == c) for c in range(3)]
    np.testing.assert_allclose(small_fractions, fractions, atol=0.02)
    back = resize_labels_to(small_labels, labels.shape)
    assert back.shape == labels.shape and np.mean(back == labels) > 0.85


def test_resize_to_shape_and_bad_arguments(tem: tuple[np.ndarray, np.ndarray]) -> None:
    image, _ = tem
    assert resize_image_to(image, (123, 77)).shape == (123, 77)
    with pytest.raises(ValueError, match="scale factor"):
        rescale_image(image, 0.0)
    with pytest.raises(ValueError, match="target shape"):
        resize_image_to(image, (0, 10))

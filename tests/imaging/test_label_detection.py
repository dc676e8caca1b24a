"""Label maps are told apart from micrographs by content, on the real masks and images."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.label_detection import (
    LabelMapAmongImagesError,
    is_label_path,
    looks_like_label_map,
    refuse_label_map,
)


def test_real_masks_are_labels_and_images_are_not(real_data_dir: Path) -> None:
    masks = sorted(real_data_dir.rglob("*_seg-*.png"))
    images = sorted(p for p in real_data_dir.rglob("sub-*/micr/*.png") if "_seg-" not in p.name)
    assert len(masks) == 24 and len(images) == 8
    for mask in masks:
        assert looks_like_label_map(read_grayscale(mask)), mask
        assert looks_like_label_map(read_label_map(mask)), mask
        assert is_label_path(mask)
    for image in images:
        assert not looks_like_label_map(read_grayscale(image)), image
        assert not is_label_path(image)


def test_refusal_names_the_file_and_blank_images(tmp_path: Path, real_data_dir: Path) -> None:
    mask = next(real_data_dir.rglob("*_seg-axonmyelin-manual.png"))
    with pytest.raises(LabelMapAmongImagesError, match=mask.name):
        refuse_label_map(mask, read_grayscale(mask))
    assert looks_like_label_map(np.full((8, 8), 93, dtype=np.uint8))
    three_grey_levels = np.array([[10, 20], [30, 30]], dtype=np.uint8)
    assert not looks_like_label_map(three_grey_levels)
    assert is_label_path(Path("ds/labelsTr/case.png")) and not is_label_path(Path("ds/imagesTr/case_0000.png"))
    Image.fromarray(read_grayscale(mask)).save(tmp_path / "renamed.png")
    with pytest.raises(LabelMapAmongImagesError, match="renamed.png"):
        refuse_label_map(tmp_path / "renamed.png", read_grayscale(tmp_path / "renamed.png"))

"""Images above Pillow's pixel limit: refused with a message naming the option, read with it.

The limit is lowered for the test (a real 180-Mpx file would take seconds to write);
``benchmarks/large_image.py`` takes a 200-Mpx image through translation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image

from axondeepsynth.imaging.image_io import ImageReadError, ReadOptions, pillow_pixel_limit, read_grayscale


@pytest.mark.parametrize("name", ["large.png", "large.tif"])
def test_large_images_need_the_option(tmp_path: Path, real_data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                      name: str) -> None:
    image = read_grayscale(next((real_data_dir / "sem_bids").rglob("sub-rat1_*_SEM.png")))[:150, :200]
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5_000)
    low_pillow_limit = pillow_pixel_limit()
    path = tmp_path / name
    if name.endswith(".tif"):
        tifffile.imwrite(path, image)
    else:
        Image.fromarray(image).save(path)
    assert image.size > low_pillow_limit
    with pytest.raises(ImageReadError, match=rf"{name}.*0.0 Mpx Pillow refuses.*allow_large_images: true"):
        read_grayscale(path)
    np.testing.assert_array_equal(read_grayscale(path, ReadOptions(allow_large_images=True)), image)
    assert Image.MAX_IMAGE_PIXELS == 5_000  # lifted only while the file was read

"""Read microscopy images as 8-bit grayscale and label maps as {0, 1, 2}; write PNGs atomically.

Whatever the file holds (PNG, TIFF or JPEG; L, LA, RGB, RGBA, palette, 16-bit or float), the
rest of the project sees one thing: a 2-D ``uint8`` array (0-255 intensities) for images and a
2-D ``uint8`` array in {0 background, 1 myelin, 2 axon} for labels.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from axondeepsynth.imaging.atomic import atomic_file

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".tif", ".tiff", ".jpg", ".jpeg"})

# AxonDeepSeg combined masks store myelin as 127 or 128 and axon as 255; thresholds halfway
# between the nominal values absorb the stray intermediate values that resampling leaves.
_MYELIN_THRESHOLD = 64
_AXON_THRESHOLD = 192


class ImageReadError(ValueError):
    """An image file is missing, unreadable, truncated or holds something other than a 2-D image."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        super().__init__(f"Cannot read image '{path}': {reason}")


def _open_pixels(path: Path) -> np.ndarray:
    """Decode the first frame of ``path`` fully (PIL decodes lazily, so truncation shows here)."""
    if not path.is_file():
        raise ImageReadError(path, "no such file; check the path in your parameters.")
    try:
        with Image.open(path) as image:
            image.load()
            if image.mode == "P":
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            elif image.mode == "1":
                image = image.convert("L")
            return np.asarray(image)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise ImageReadError(path, f"{error} (is the file truncated or not an image?)") from error


def _to_uint8(pixels: np.ndarray, path: Path) -> np.ndarray:
    """Map integer or float intensities onto 0-255: 16-bit by its full 0-65535 range, floats by
    [0, 1] when they lie within it and by their own min/max otherwise."""
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.bool_:
        return pixels.astype(np.uint8) * 255
    if np.issubdtype(pixels.dtype, np.integer):
        if pixels.min() < 0:
            raise ImageReadError(path, f"negative {pixels.dtype} intensities are not supported.")
        if pixels.max() <= 255:
            return pixels.astype(np.uint8)
        return np.round(pixels.astype(np.float64) / 257.0).clip(0, 255).astype(np.uint8)
    values = pixels.astype(np.float64)
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0:
        values = (values - low) / (high - low) if high > low else np.zeros_like(values)
    return np.round(values * 255.0).astype(np.uint8)


def _drop_alpha_and_merge(pixels: np.ndarray, path: Path) -> np.ndarray:
    """Reduce (H, W, C) to (H, W): alpha is ignored, RGB uses ITU-R 601 luma like PIL's ``L``."""
    if pixels.ndim == 2:
        return pixels
    if pixels.ndim != 3 or pixels.shape[2] not in (2, 3, 4):
        raise ImageReadError(path, f"expected a 2-D image with 1-4 channels, got shape {pixels.shape}.")
    if pixels.shape[2] == 2:
        return pixels[..., 0]
    rgb = pixels[..., :3].astype(np.float64)
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    return np.round(luma).astype(pixels.dtype if np.issubdtype(pixels.dtype, np.integer) else np.float64)


def read_grayscale(path: Path | str) -> np.ndarray:
    """Read an image file as a 2-D ``uint8`` array (0-255 intensities).

    Accepts L, LA, RGB, RGBA, palette, 16-bit and float PNG/TIFF/JPEG (first frame of multi-page
    TIFFs). 16-bit intensities are divided by 257 (full range, no contrast stretch).

    Raises:
        ImageReadError: the file is missing, truncated or not a 2-D image.
    """
    path = Path(path)
    pixels = _drop_alpha_and_merge(_open_pixels(path), path)
    return _to_uint8(pixels, path)


def read_label_map(path: Path | str) -> np.ndarray:
    """Read a label file as a 2-D ``uint8`` array in {0 background, 1 myelin, 2 axon}.

    Files whose values are all <= 2 are nnU-Net class maps and kept as they are. Otherwise the
    file is an AxonDeepSeg combined mask (0 / 127 or 128 myelin / 255 axon): values below 64
    become background, 64-191 myelin, 192 and above axon, so stray values are tolerated.
    """
    path = Path(path)
    pixels = _open_pixels(path)
    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    if pixels.ndim != 2:
        raise ImageReadError(path, f"expected a 2-D label map, got shape {pixels.shape}.")
    if pixels.max() <= 2:
        return pixels.astype(np.uint8)
    labels = np.zeros(pixels.shape, dtype=np.uint8)
    labels[pixels >= _MYELIN_THRESHOLD] = 1
    labels[pixels >= _AXON_THRESHOLD] = 2
    return labels


def write_png_atomic(path: Path | str, array: np.ndarray, overwrite: bool = False) -> Path:
    """Write a 2-D ``uint8`` array as a single-channel PNG (mode L, as nnU-Net requires).

    The PNG is written beside ``path`` under a temporary name and renamed when complete; an
    existing ``path`` raises :class:`FileExistsError` unless ``overwrite`` is true.
    """
    path = Path(path)
    if array.ndim != 2 or array.dtype != np.uint8:
        raise ValueError(f"write_png_atomic('{path}') needs a 2-D uint8 array, got {array.dtype} {array.shape}.")
    with atomic_file(path, overwrite=overwrite) as temp:
        Image.fromarray(array).save(temp, format="PNG")
    return path

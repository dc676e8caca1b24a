"""Read microscopy images as 8-bit grayscale and label maps as {0, 1, 2}; write PNGs atomically.

Whatever the file holds (PNG, TIFF or JPEG; L, LA, RGB, RGBA, palette, 16-bit or float), the
rest of the project sees one thing: a 2-D ``uint8`` array (0-255 intensities) for images and a
2-D ``uint8`` array in {0 background, 1 myelin, 2 axon} for labels.

Wider intensities are mapped to 0-255 by their *effective* bit depth (a 12-bit camera stored in a
16-bit PNG is divided by 4095, not 65535, and keeps its contrast) or by a percentile window
(:class:`IntensityMapping`); each read says which mapping it used (:class:`IntensityRecord`), so
the nodes can log and record it. Images above Pillow's pixel limit are refused with a message
naming ``allow_large_images`` unless that option is on; conversions work in row bands so a
whole-slide image never exists as a float copy.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import tifffile
from PIL import Image, UnidentifiedImageError

from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.imaging.label_values import class_map_from_combined

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".tif", ".tiff", ".jpg", ".jpeg"})
TIFF_SUFFIXES = frozenset({".tif", ".tiff"})
ALLOW_LARGE_IMAGES = "allow_large_images"
INTENSITY_MODES = ("bit_depth", "percentile")
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_CHUNK_PIXELS = 1 << 22
_SAMPLE_PIXELS = 1 << 22



class ImageReadError(ValueError):
    """An image file is missing, unreadable, truncated or holds something other than a 2-D image."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        super().__init__(f"Cannot read image '{path}': {reason}")


@dataclass(frozen=True)
class IntensityMapping:
    """How intensities wider than 8 bits become 0-255 (the ``intensity`` parameter).

    Attributes:
        mode: ``bit_depth``: integers divided by 2**bits - 1, bits taken from the image's maximum
            (at least 8); floats by [0, 1] when they lie within it, else by their own min/max.
            ``percentile``: the ``low``-th percentile becomes 0 and the ``high``-th 255 (any
            dtype, uint8 included), for images whose values use a narrow part of their range.
        low, high: percentiles (0-100) of the ``percentile`` window.
    """

    mode: str = "bit_depth"
    low: float = 0.5
    high: float = 99.5

    def __post_init__(self) -> None:
        if self.mode not in INTENSITY_MODES:
            raise ValueError(f"intensity.mode must be one of {INTENSITY_MODES}, got '{self.mode}'.")
        if not 0.0 <= self.low < self.high <= 100.0:
            raise ValueError(
                f"intensity percentiles need 0 <= low < high <= 100, got low={self.low}, high={self.high}.")


@dataclass(frozen=True)
class IntensityRecord:
    """How one image was mapped to 0-255: its stored dtype, the mode, the raw values that became
    0 (``black``) and 255 (``white``), and the effective bit depth in ``bit_depth`` mode."""

    source_dtype: str
    mode: str
    black: float
    white: float
    bits: int | None

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for logs, manifests, MLflow)."""
        return asdict(self)


@dataclass(frozen=True)
class ReadOptions:
    """How source images are read: the intensity mapping and whether images above Pillow's limit
    are allowed (they are read at full size: make sure the memory is there)."""

    intensity: IntensityMapping = field(default_factory=IntensityMapping)
    allow_large_images: bool = False

    @classmethod
    def from_params(cls, intensity: dict[str, Any] | None = None, allow_large_images: bool = False) -> ReadOptions:
        """From an ``intensity: {mode, low, high}`` parameter block and the ``allow_large_images`` flag."""
        return cls(IntensityMapping(**(intensity or {})), bool(allow_large_images))


DEFAULT_INTENSITY = IntensityMapping()
DEFAULT_READ_OPTIONS = ReadOptions()


def pillow_pixel_limit() -> int:
    """Pixels above which Pillow raises ``DecompressionBombError`` (twice its warning threshold);
    TIFFs, read with tifffile, are held to the same limit."""
    return 2 * int(Image.MAX_IMAGE_PIXELS or 89_478_485)


def _pillow_limit_error(path: Path, pixels: int) -> ImageReadError:
    return ImageReadError(
        path,
        f"it has {pixels / 1e6:.1f} Mpx, above the {pillow_pixel_limit() / 1e6:.1f} Mpx Pillow refuses by default "
        f"(a guard against decompression bombs). If the file is a genuine large micrograph, set "
        f"{ALLOW_LARGE_IMAGES}: true in the parameters of the pipeline that reads it.",
    )


@contextmanager
def _pillow_limit(allow_large_images: bool) -> Iterator[None]:
    """Pillow's pixel limit lifted while one file is opened, only when large images are allowed."""
    previous = Image.MAX_IMAGE_PIXELS
    if allow_large_images:
        Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _open_tiff(path: Path, allow_large_images: bool) -> np.ndarray:
    """First page of a TIFF with tifffile: memory-mapped when stored uncompressed (pixels are read
    from disk only where they are used), else decoded."""
    try:
        with tifffile.TiffFile(path) as tiff:
            page = tiff.pages.first
            size = int(np.prod(page.shape[:2]))
            if size > pillow_pixel_limit() and not allow_large_images:
                raise _pillow_limit_error(path, size)
            if page.is_memmappable:
                return tifffile.memmap(path, page=0, mode="r")
            return page.asarray()
    except ImageReadError:
        raise
    except (OSError, ValueError, IndexError, tifffile.TiffFileError) as error:
        raise ImageReadError(path, f"{error} (is the file truncated or not a TIFF?)") from error


def _open_pixels(path: Path, allow_large_images: bool = False) -> np.ndarray:
    """Decode the first frame of ``path`` fully (PIL decodes lazily, so truncation shows here)."""
    if not path.is_file():
        raise ImageReadError(path, "no such file; check the path in your parameters.")
    if path.suffix.lower() in TIFF_SUFFIXES:
        return _open_tiff(path, allow_large_images)
    try:
        with _pillow_limit(allow_large_images), Image.open(path) as image:
            image.load()
            if image.mode == "P":
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            elif image.mode == "1":
                image = image.convert("L")
            return np.asarray(image)
    except Image.DecompressionBombError as error:
        with _pillow_limit(True), Image.open(path) as header:
            size = header.size[0] * header.size[1]
        raise _pillow_limit_error(path, size) from error
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError) as error:
        raise ImageReadError(path, f"{error} (is the file truncated or not an image?)") from error


def image_shape(path: Path | str, allow_large_images: bool = False) -> tuple[int, int]:
    """(height, width) in pixels from the file header only (no pixels decoded).

    Raises:
        ImageReadError: unreadable, or above Pillow's limit while ``allow_large_images`` is false.
    """
    path = Path(path)
    try:
        if path.suffix.lower() in TIFF_SUFFIXES:
            with tifffile.TiffFile(path) as tiff:
                height, width = tiff.pages.first.shape[:2]
        else:
            with _pillow_limit(True), Image.open(path) as image:
                width, height = image.size
    except (OSError, ValueError, IndexError, SyntaxError, UnidentifiedImageError, tifffile.TiffFileError) as error:
        raise ImageReadError(path, f"{error} (is the file truncated or not an image?)") from error
    if height * width > pillow_pixel_limit() and not allow_large_images:
        raise _pillow_limit_error(path, height * width)
    return int(height), int(width)


def _row_chunks(shape: tuple[int, ...]) -> Iterator[slice]:
    """Row bands of about :data:`_CHUNK_PIXELS` pixels, so conversions never copy a whole slide as floats."""
    rows = max(1, _CHUNK_PIXELS // max(1, int(np.prod(shape[1:]))))
    for start in range(0, shape[0], rows):
        yield slice(start, min(shape[0], start + rows))


def _sample(pixels: np.ndarray) -> np.ndarray:
    """A regular subsample of at most about :data:`_SAMPLE_PIXELS` pixels (percentiles, value checks)."""
    step = max(1, int(math.ceil(math.sqrt(pixels.size / _SAMPLE_PIXELS))))
    return np.asarray(pixels[::step, ::step])


def effective_bits(pixels: np.ndarray) -> int:
    """Bits the integer intensities use, at least 8: a 12-bit camera in a 16-bit file gives 12."""
    return max(8, int(pixels.max()).bit_length())


def _window(pixels: np.ndarray, mapping: IntensityMapping, path: Path) -> IntensityRecord:
    """The raw values that become 0 and 255 under ``mapping``."""
    dtype = str(pixels.dtype)
    if mapping.mode == "percentile":
        low, high = (float(v) for v in np.percentile(_sample(pixels), [mapping.low, mapping.high]))
        return IntensityRecord(dtype, "percentile", low, max(high, low + 1e-6), None)
    if np.issubdtype(pixels.dtype, np.integer):
        if pixels.min() < 0:
            raise ImageReadError(path, f"negative {pixels.dtype} intensities are not supported.")
        bits = effective_bits(pixels)
        return IntensityRecord(dtype, "bit_depth", 0.0, float(2**bits - 1), bits)
    low, high = float(pixels.min()), float(pixels.max())
    if low >= 0.0 and high <= 1.0:
        return IntensityRecord(dtype, "bit_depth", 0.0, 1.0, None)
    return IntensityRecord(dtype, "bit_depth", low, high if high > low else low + 1.0, None)


def to_uint8(pixels: np.ndarray, path: Path | str, mapping: IntensityMapping = DEFAULT_INTENSITY,
             ) -> tuple[np.ndarray, IntensityRecord]:
    """Map 2-D intensities of any dtype onto 0-255 and say how (see :class:`IntensityMapping`).

    uint8 images are kept as they are in ``bit_depth`` mode. Works in row bands, so a whole-slide
    image costs its uint8 result and one band of floats.
    """
    path = Path(path)
    if pixels.dtype == np.bool_:
        return pixels.astype(np.uint8) * 255, IntensityRecord("bool", "bit_depth", 0.0, 1.0, 1)
    if pixels.dtype == np.uint8 and mapping.mode == "bit_depth":
        return np.asarray(pixels), IntensityRecord("uint8", "bit_depth", 0.0, 255.0, 8)
    record = _window(pixels, mapping, path)
    scale = 255.0 / (record.white - record.black)
    result = np.empty(pixels.shape, dtype=np.uint8)
    for rows in _row_chunks(pixels.shape):
        band = np.asarray(pixels[rows], dtype=np.float32)
        band -= record.black
        band *= scale
        np.rint(band, out=band)
        np.clip(band, 0, 255, out=band)
        result[rows] = band
    return result, record


def _drop_alpha_and_merge(pixels: np.ndarray, path: Path) -> np.ndarray:
    """Reduce (H, W, C) to (H, W): alpha is ignored, RGB uses ITU-R 601 luma like PIL's ``L``."""
    if pixels.ndim == 2:
        return pixels
    if pixels.ndim != 3 or pixels.shape[2] not in (2, 3, 4):
        raise ImageReadError(path, f"expected a 2-D image with 1-4 channels, got shape {pixels.shape}.")
    if pixels.shape[2] == 2:
        return pixels[..., 0]
    integer = np.issubdtype(pixels.dtype, np.integer)
    luma = np.empty(pixels.shape[:2], dtype=pixels.dtype if integer else np.float64)
    for rows in _row_chunks(pixels.shape):
        values = pixels[rows, :, :3].astype(np.float32) @ _LUMA
        luma[rows] = np.round(values) if integer else values
    return luma


def read_raw_pixels(path: Path | str, allow_large_images: bool = False) -> np.ndarray:
    """Read an image file as a 2-D array of its stored values (alpha dropped, colour merged to luma).

    TIFFs are read with tifffile (memory-mapped when uncompressed), other formats with Pillow.

    Raises:
        ImageReadError: the file is missing, truncated, not a 2-D image, or above Pillow's pixel
            limit while ``allow_large_images`` is false (the message names the option).
    """
    path = Path(path)
    return _drop_alpha_and_merge(_open_pixels(path, allow_large_images), path)


def read_grayscale_with_mapping(path: Path | str, options: ReadOptions = DEFAULT_READ_OPTIONS,
                                ) -> tuple[np.ndarray, IntensityRecord]:
    """Read an image file as a 2-D ``uint8`` array (0-255) and how its intensities were mapped."""
    return to_uint8(read_raw_pixels(path, options.allow_large_images), path, options.intensity)


def read_grayscale(path: Path | str, options: ReadOptions = DEFAULT_READ_OPTIONS) -> np.ndarray:
    """Read an image file as a 2-D ``uint8`` array (0-255 intensities).

    Accepts L, LA, RGB, RGBA, palette, 16-bit and float PNG/TIFF/JPEG (first frame of multi-page
    TIFFs). Wider integers are mapped by their effective bit depth by default (see
    :class:`IntensityMapping`).

    Raises:
        ImageReadError: the file is missing, truncated, not a 2-D image or too large (see
            :func:`read_raw_pixels`).
    """
    return read_grayscale_with_mapping(path, options)[0]


def read_label_map(path: Path | str, allow_large_images: bool = False) -> np.ndarray:
    """Read a label file as a 2-D ``uint8`` array in {0 background, 1 myelin, 2 axon}.

    Files whose values are all <= 2 are nnU-Net class maps and kept as they are. Otherwise the
    file is an AxonDeepSeg combined mask (0 / 127 or 128 myelin / 255 axon), first brought to
    8 bits by its effective bit depth (a 16-bit mask 0 / 32768 / 65535 reads like 0 / 128 / 255):
    values below 64 become background, 64-191 myelin, 192 and above axon, so stray values are
    tolerated.
    """
    path = Path(path)
    pixels = _open_pixels(path, allow_large_images)
    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    if pixels.ndim != 2:
        raise ImageReadError(path, f"expected a 2-D label map, got shape {pixels.shape}.")
    if pixels.max() <= 2:
        return pixels.astype(np.uint8)
    pixels, _ = to_uint8(pixels, path)
    return class_map_from_combined(pixels)


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

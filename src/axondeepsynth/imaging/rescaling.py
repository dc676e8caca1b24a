"""Change image size by a scale factor or to a given shape: smooth for images, nearest for labels.

A scale factor multiplies the image size (0.5 halves each side); a pair ``(fy, fx)`` scales rows
and columns apart (anisotropic pixels resampled to square ones). Images are resampled by Pillow's
bilinear filter, whose support widens with the shrink factor, so fine texture does not alias into
moiré; labels are resampled by nearest neighbour so that they stay in {0, 1, 2}. Every function
returns ``uint8`` and works on uint8 only: a whole-slide image never exists as a float copy.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

ScaleFactor = float | tuple[float, float]
"""One factor for both axes, or (rows, columns)."""
_ISOTROPIC_TOLERANCE = 0.01
"""Per-axis factors closer than this (relative) are one factor: sidecars round their sizes."""


def axis_factors(factor: ScaleFactor) -> tuple[float, float]:
    """(row, column) factors of a scale factor; each must be positive and finite."""
    pair = (factor, factor) if isinstance(factor, (int, float)) else tuple(factor)
    if len(pair) != 2 or any(isinstance(f, bool) or not math.isfinite(f) or f <= 0 for f in pair):
        raise ValueError(f"scale factor must be a positive finite number or a (rows, columns) pair, got {factor}.")
    return float(pair[0]), float(pair[1])


def scaled_shape(shape: tuple[int, ...], factor: ScaleFactor) -> tuple[int, int]:
    """(height, width) in pixels of a 2-D ``shape`` multiplied by ``factor`` (rounded, at least 1)."""
    fy, fx = axis_factors(factor)
    return max(1, round(shape[0] * fy)), max(1, round(shape[1] * fx))


def _check_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"target shape must be (height, width) with positive sizes, got {shape}.")
    return int(shape[0]), int(shape[1])


def resize_image_to(image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Resize a 2-D ``uint8`` image to ``shape`` (bilinear, anti-aliased along any shrinking axis)."""
    target = _check_shape(shape)
    if tuple(image.shape) == target:
        return image
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"resize_image_to needs a 2-D uint8 image, got {image.dtype} {image.shape}.")
    resized = Image.fromarray(np.ascontiguousarray(image)).resize((target[1], target[0]), Image.Resampling.BILINEAR)
    return np.asarray(resized)


def _nearest_indices(source: int, target: int) -> np.ndarray:
    """Source index of each target pixel centre along one axis."""
    return np.minimum(((np.arange(target) + 0.5) * (source / target)).astype(np.intp), source - 1)


def resize_labels_to(labels: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Resize a 2-D label map to ``shape`` by nearest neighbour (no new label values appear)."""
    target = _check_shape(shape)
    if tuple(labels.shape) == target:
        return labels
    rows = _nearest_indices(labels.shape[0], target[0])
    cols = _nearest_indices(labels.shape[1], target[1])
    return np.asarray(labels, dtype=np.uint8)[np.ix_(rows, cols)]


def rescale_image(image: np.ndarray, factor: ScaleFactor) -> np.ndarray:
    """Multiply the size of a 2-D ``uint8`` image by ``factor`` (see :func:`resize_image_to`)."""
    return resize_image_to(image, scaled_shape(image.shape, factor))


def rescale_labels(labels: np.ndarray, factor: ScaleFactor) -> np.ndarray:
    """Multiply the size of a 2-D label map by ``factor`` (nearest neighbour)."""
    return resize_labels_to(labels, scaled_shape(labels.shape, factor))


def resolve_scale_factor(
    scale: float | str, pixel_size_um: float | tuple[float, float] | None, target_pixel_size_um: float | None,
    source: str,
) -> ScaleFactor:
    """Turn a ``scale`` parameter (a number, or ``"auto"``) into a factor for one image.

    ``auto`` gives ``pixel_size_um / target_pixel_size_um`` (both micrometres per pixel), so that
    every image ends up at the target resolution; with a (row, column) pixel size
    (:attr:`~axondeepsynth.imaging.image_record.ImageRecord.pixel_sizes_yx_um`) one factor per axis,
    so anisotropic pixels become square ones. ``source`` names the image or folder in errors.
    """
    if isinstance(scale, str):
        if scale.strip().lower() != "auto":
            raise ValueError(f"scale '{scale}' for {source} must be a positive number or 'auto'.")
        if target_pixel_size_um is None or not target_pixel_size_um > 0:
            raise ValueError(
                f"scale 'auto' for {source} needs a positive target_pixel_size_um parameter "
                f"(micrometres per pixel), got {target_pixel_size_um}."
            )
        if pixel_size_um is None:
            raise ValueError(
                f"scale 'auto' for {source} needs a pixel size, but its sidecars state none; give a "
                "numeric scale for this source or add PixelSize to its BIDS sidecar."
            )
        fy, fx = (size / target_pixel_size_um for size in axis_factors(pixel_size_um))
        return fy if abs(fy - fx) <= _ISOTROPIC_TOLERANCE * max(fy, fx) else (fy, fx)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale {scale!r} for {source} must be a positive number or 'auto'.")
    return float(scale)

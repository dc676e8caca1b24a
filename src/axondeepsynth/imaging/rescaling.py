"""Change image size by a scale factor or to a given shape: smooth for images, nearest for labels.

A scale factor multiplies the image size (0.5 halves each side). Images are low-pass filtered
before shrinking so that fine texture does not alias into moiré; labels are resampled by nearest
neighbour so that they stay in {0, 1, 2}. Every function returns ``uint8``.
"""

from __future__ import annotations

import math

import numpy as np
from skimage.transform import resize


def scaled_shape(shape: tuple[int, ...], factor: float) -> tuple[int, int]:
    """(height, width) in pixels of a 2-D ``shape`` multiplied by ``factor`` (rounded, at least 1)."""
    if not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"scale factor must be a positive finite number, got {factor}.")
    return max(1, round(shape[0] * factor)), max(1, round(shape[1] * factor))


def _check_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"target shape must be (height, width) with positive sizes, got {shape}.")
    return int(shape[0]), int(shape[1])


def resize_image_to(image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Resize a 2-D ``uint8`` image to ``shape`` (bilinear, anti-aliased along any shrinking axis)."""
    target = _check_shape(shape)
    if tuple(image.shape) == target:
        return image
    shrinking = target[0] < image.shape[0] or target[1] < image.shape[1]
    resized = resize(
        image.astype(np.float32), target, order=1, mode="reflect", anti_aliasing=shrinking, preserve_range=True
    )
    return np.clip(np.round(resized), 0, 255).astype(np.uint8)


def resize_labels_to(labels: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Resize a 2-D label map to ``shape`` by nearest neighbour (no new label values appear)."""
    target = _check_shape(shape)
    if tuple(labels.shape) == target:
        return labels
    resized = resize(labels, target, order=0, mode="edge", anti_aliasing=False, preserve_range=True)
    return resized.astype(np.uint8)


def rescale_image(image: np.ndarray, factor: float) -> np.ndarray:
    """Multiply the size of a 2-D ``uint8`` image by ``factor`` (see :func:`resize_image_to`)."""
    return resize_image_to(image, scaled_shape(image.shape, factor))


def rescale_labels(labels: np.ndarray, factor: float) -> np.ndarray:
    """Multiply the size of a 2-D label map by ``factor`` (nearest neighbour)."""
    return resize_labels_to(labels, scaled_shape(labels.shape, factor))


def resolve_scale_factor(
    scale: float | str, pixel_size_um: float | None, target_pixel_size_um: float | None, source: str
) -> float:
    """Turn a ``scale`` parameter (a number, or ``"auto"``) into a factor for one image.

    ``auto`` gives ``pixel_size_um / target_pixel_size_um`` (both micrometres per pixel), so that
    every image ends up at the target resolution. ``source`` names the image or folder in errors.
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
        return pixel_size_um / target_pixel_size_um
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale {scale!r} for {source} must be a positive number or 'auto'.")
    return float(scale)

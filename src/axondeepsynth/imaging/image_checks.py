"""Read an image and refuse what must not be trained on or tiled: unreadable files, label maps,
blank images, label maps whose size differs from their image. Label maps are recognised on the
stored values, before intensities are mapped to 8 bits.

The data_engineering nodes run these checks on every source before anything is written, so bad
input fails the run with nothing on disk instead of leaving some split files behind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from axondeepsynth.imaging.image_io import (
    DEFAULT_READ_OPTIONS,
    IntensityRecord,
    ReadOptions,
    read_label_map,
    read_raw_pixels,
    to_uint8,
)
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.label_detection import refuse_label_map
from axondeepsynth.imaging.rescaling import ScaleFactor, axis_factors

logger = logging.getLogger(__name__)


MIN_SCALED_SIDE_PX = 32
"""Smallest image side, after scaling, that is still worth tiling and training on (pixels)."""


class LabelShapeMismatchError(ValueError):
    """A label map's size differs from its image's."""


class ImageTooSmallError(ValueError):
    """A scale factor would shrink an image below :data:`MIN_SCALED_SIDE_PX` (e.g. ``scale: 0.0001``)."""


def refuse_tiny_scaled_image(record: ImageRecord, shape: tuple[int, ...], factor: ScaleFactor,
                             parameter: str) -> None:
    """Raise :class:`ImageTooSmallError` when ``factor`` makes the ``shape`` image smaller than
    :data:`MIN_SCALED_SIDE_PX` on a side; ``parameter`` names the scale in the message."""
    fy, fx = axis_factors(factor)
    scaled = (round(shape[0] * fy), round(shape[1] * fx))
    if min(scaled) < MIN_SCALED_SIDE_PX:
        raise ImageTooSmallError(
            f"{parameter} = {factor} makes '{record.path}' {scaled[0]}x{scaled[1]} px (from {shape[0]}x{shape[1]}); "
            f"images must keep at least {MIN_SCALED_SIDE_PX} px a side. A scale multiplies image size "
            "(0.5 halves it): raise it, or with 'auto' check the pixel size in the sidecar and "
            "inputs.working_pixel_size_um (micrometres per pixel)."
        )


def read_checked_image(record: ImageRecord, options: ReadOptions = DEFAULT_READ_OPTIONS,
                       ) -> tuple[np.ndarray, IntensityRecord]:
    """Read ``record.path`` as uint8 grayscale (0-255) and how its intensities were mapped,
    refusing a label map or a blank image (judged on the stored values, before the mapping)."""
    raw = read_raw_pixels(record.path, options.allow_large_images)
    refuse_label_map(record.path, raw)
    image, mapping = to_uint8(raw, record.path, options.intensity)
    if mapping.source_dtype != "uint8" or mapping.mode != "bit_depth":
        logger.info("%s: %s", record.path, mapping.as_dict())
    return image, mapping


def read_labels_of(label_path: Path, image_path: Path, image_shape: tuple[int, ...],
                   options: ReadOptions = DEFAULT_READ_OPTIONS) -> np.ndarray:
    """Read ``label_path`` as {0,1,2} labels, refusing a map whose size differs from its image's
    (``image_shape``, pixels): at export, and at evaluation against a prediction of the image."""
    labels = read_label_map(label_path, options.allow_large_images)
    if labels.shape != tuple(image_shape[:2]):
        raise LabelShapeMismatchError(
            f"Label map '{label_path}' is {labels.shape[0]}x{labels.shape[1]} px but its image "
            f"'{image_path}' is {image_shape[0]}x{image_shape[1]} px; fix or remove the label map."
        )
    return labels


def read_matching_labels(record: ImageRecord, image_shape: tuple[int, ...],
                         options: ReadOptions = DEFAULT_READ_OPTIONS) -> np.ndarray | None:
    """Read ``record.label_path`` as {0,1,2} labels (``None`` without one), refusing a size mismatch."""
    if record.label_path is None:
        return None
    return read_labels_of(record.label_path, record.path, image_shape, options)


def check_records(records: Sequence[ImageRecord], with_labels: bool = False,
                  options: ReadOptions = DEFAULT_READ_OPTIONS,
                  scale_factors: Sequence[ScaleFactor] | None = None, scale_parameter: str = "scale",
                  ) -> dict[str, dict]:
    """Read every image (and label map when ``with_labels``) once, one at a time, and raise on the
    first bad one (:class:`~axondeepsynth.imaging.image_io.ImageReadError`,
    :class:`~axondeepsynth.imaging.label_detection.LabelMapAmongImagesError`,
    :class:`LabelShapeMismatchError`, and with ``scale_factors`` (one per record)
    :class:`ImageTooSmallError`, naming ``scale_parameter``).

    Returns:
        ``{image path: intensity mapping}`` (:meth:`IntensityRecord.as_dict`), for the run's records.
    """
    mappings = {}
    for index, record in enumerate(tqdm(records, desc="checking images", unit="image", leave=False)):
        image, mapping = read_checked_image(record, options)
        if scale_factors is not None:
            refuse_tiny_scaled_image(record, image.shape, scale_factors[index], scale_parameter)
        mappings[str(record.path)] = mapping.as_dict()
        if with_labels:
            read_matching_labels(record, image.shape, options)
    logger.info("Checked %d image(s): all readable micrographs.", len(records))
    return mappings

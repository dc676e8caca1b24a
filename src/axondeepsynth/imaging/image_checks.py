"""Read an image and refuse what must not be trained on or tiled: unreadable files, label maps,
blank images, label maps whose size differs from their image.

The data_engineering nodes run these checks on every source before anything is written, so bad
input fails the run with nothing on disk instead of leaving some split files behind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from tqdm.auto import tqdm

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.label_detection import refuse_label_map

logger = logging.getLogger(__name__)


class LabelShapeMismatchError(ValueError):
    """A label map's size differs from its image's."""


def read_checked_image(record: ImageRecord) -> np.ndarray:
    """Read ``record.path`` as uint8 grayscale (0-255), refusing a label map or a blank image."""
    image = read_grayscale(record.path)
    refuse_label_map(record.path, image)
    return image


def read_matching_labels(record: ImageRecord, image_shape: tuple[int, ...]) -> np.ndarray | None:
    """Read ``record.label_path`` as {0,1,2} labels (``None`` without one), refusing a size mismatch."""
    if record.label_path is None:
        return None
    labels = read_label_map(record.label_path)
    if labels.shape != tuple(image_shape[:2]):
        raise LabelShapeMismatchError(
            f"Label map '{record.label_path}' is {labels.shape[0]}x{labels.shape[1]} px but its image "
            f"'{record.path}' is {image_shape[0]}x{image_shape[1]} px; fix or remove the label map."
        )
    return labels


def check_records(records: Sequence[ImageRecord], with_labels: bool = False) -> None:
    """Read every image (and label map when ``with_labels``) once, one at a time, and raise on the
    first bad one (:class:`~axondeepsynth.imaging.image_io.ImageReadError`,
    :class:`~axondeepsynth.imaging.label_detection.LabelMapAmongImagesError`,
    :class:`LabelShapeMismatchError`)."""
    for record in tqdm(records, desc="checking images", unit="image", leave=False):
        image = read_checked_image(record)
        if with_labels:
            read_matching_labels(record, image.shape)
    logger.info("Checked %d image(s): all readable micrographs.", len(records))

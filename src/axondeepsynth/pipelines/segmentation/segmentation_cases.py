"""Which images the segmentation pipeline predicts, with their ground truth and pixel size when known."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from axondeepsynth.imaging.nnunet_layout import case_name, is_nnunet_raw_root
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.raw_dataset import case_pixel_sizes_um, dataset_modality, read_dataset_json

logger = logging.getLogger(__name__)


class NoImagesToSegmentError(FileNotFoundError):
    """The folder of images to segment is missing or holds no image."""


def _test_cases_of(dataset_dir: Path) -> list[Any]:
    if not (dataset_dir / "imagesTs").is_dir() or not any((dataset_dir / "imagesTs").iterdir()):
        raise NoImagesToSegmentError(
            f"No images to segment: '{dataset_dir / 'imagesTs'}' is missing or empty. Export the dataset "
            "with a test_fraction above 0 (nnunet_export.test_fraction, inputs.target.test_fraction)."
        )
    return [r for r in discover_images(dataset_dir) if r.path.parent.name == "imagesTs"]


def _labels_in(labels_dir: str) -> dict[str, Path]:
    folder = Path(labels_dir)
    if not folder.is_dir():
        raise NoImagesToSegmentError(
            f"Ground-truth folder '{folder}' does not exist; re-run `kedro run --pipeline data_engineering`."
        )
    return {case_name(path.stem): path for path in sorted(folder.iterdir()) if path.suffix.lower() == ".png"}


def find_segmentation_cases(dataset_dir: Path | str, images_dir: str | None,
                            pixel_size_um: float | None, labels_dir: str | None = None) -> dict[str, dict[str, Any]]:
    """Images to segment as ``{name: {"image", "label", "pixel_size_um", "modality"}}`` (paths as
    strings; ``modality`` is ``dataset_dir``'s recorded modality for its own or its translated
    cases, ``None`` for other images).

    Args:
        dataset_dir: the nnU-Net raw dataset the model was trained on; its ``imagesTs`` (with
            ``labelsTs`` as ground truth) are segmented when ``images_dir`` is ``None``.
        images_dir: a BIDS or plain image folder to segment instead, or another labelled
            nnU-Net raw dataset, of which the held-out ``imagesTs`` (``labelsTs``) are segmented
            (the experiment scores every arm on the target dataset's test split this way).
        pixel_size_um: pixel side in micrometres for images whose size no sidecar or export
            record gives (``None``: morphometrics in pixels).
        labels_dir: ground-truth label maps (0/1/2 or AxonDeepSeg masks) for images that carry
            none, matched by case name (``X.png`` for ``X_0000.png`` or ``X.png``), e.g. the
            ``labelsTs`` of the images an adaptation run translated; those images are then taken
            to be ``dataset_dir``'s cases (translations keep their source's size) and get their
            recorded pixel sizes, by the same case names.

    Raises:
        NoImagesToSegmentError: nothing to segment.
    """
    dataset_dir = Path(dataset_dir)
    if images_dir is not None and is_nnunet_raw_root(Path(images_dir)):
        dataset_dir, images_dir = Path(images_dir), None
    if images_dir is None:
        records = _test_cases_of(dataset_dir)
        known_sizes = case_pixel_sizes_um(read_dataset_json(dataset_dir))
        modality = dataset_modality(read_dataset_json(dataset_dir))
    else:
        if not Path(images_dir).is_dir():
            raise NoImagesToSegmentError(
                f"No images to segment: '{images_dir}' does not exist; re-run the pipeline that writes it."
            )
        records = discover_images(images_dir)
        known_sizes = case_pixel_sizes_um(read_dataset_json(dataset_dir)) if labels_dir is not None else {}
        modality = dataset_modality(read_dataset_json(dataset_dir)) if labels_dir is not None else None
    extra_labels = _labels_in(labels_dir) if labels_dir is not None else {}
    cases = {}
    for record in records:
        size = record.pixel_size_um or known_sizes.get(case_name(record.path.stem)) or pixel_size_um
        label = record.label_path or extra_labels.get(case_name(record.path.stem))
        cases[record.sample.replace("/", "_")] = {
            "image": str(record.path),
            "label": None if label is None else str(label),
            "pixel_size_um": None if size is None else float(size),
            "modality": modality,
        }
    logger.info("%d image(s) to segment, %d with ground truth.", len(cases),
                sum(1 for c in cases.values() if c["label"]))
    return cases

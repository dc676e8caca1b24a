"""nnU-Net's dataset integrity check, with its findings turned into one clear exception.

``verify_dataset_integrity`` checks structure in the main process (assertions) and pixels in
worker processes, which only print what they find and then raise a generic ``RuntimeError``. When
it fails we re-run nnU-Net's own per-case checks (``check_cases``, ``verify_labels``) in this
process, capture what they print, and raise :class:`DatasetIntegrityError` naming the files.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

from axondeepsynth.nnunet.raw_dataset import read_dataset_json

logger = logging.getLogger(__name__)


class DatasetIntegrityError(ValueError):
    """An nnU-Net raw dataset fails nnU-Net's integrity check (files, labels, shapes)."""


def _diagnose_cases(dataset_dir: Path, dataset_json: dict) -> str:
    """Run nnU-Net's per-case checks sequentially and return what they reported."""
    from nnunetv2.experiment_planning.verify_dataset_integrity import check_cases, verify_labels
    from nnunetv2.imageio.reader_writer_registry import determine_reader_writer_from_dataset_json
    from nnunetv2.utilities.label_handling.label_handling import LabelManager
    from nnunetv2.utilities.utils import get_filenames_of_train_images_and_targets

    dataset = get_filenames_of_train_images_and_targets(str(dataset_dir), dataset_json)
    first = next(iter(dataset.values()))
    reader = determine_reader_writer_from_dataset_json(dataset_json, first["images"][0])
    expected_labels = LabelManager(dataset_json["labels"], regions_class_order=None).all_labels
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        for case in dataset.values():
            verify_labels(case["label"], reader, expected_labels)
            check_cases(case["images"], case["label"], len(dataset_json["channel_names"]), reader)
    return "\n".join(line for line in report.getvalue().splitlines() if line.strip())


def verify_raw_dataset(dataset_dir: Path | str, num_processes: int) -> dict:
    """Check an nnU-Net raw dataset with nnU-Net's ``verify_dataset_integrity``.

    Returns:
        The dataset's ``dataset.json`` content.

    Raises:
        DatasetJsonError: ``dataset.json`` is missing, malformed or incomplete.
        DatasetIntegrityError: missing label files, wrong case count, labels outside the
            declared set, or an image/label shape mismatch; the message names the files.
    """
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

    dataset_dir = Path(dataset_dir)
    dataset_json = read_dataset_json(dataset_dir)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            verify_dataset_integrity(str(dataset_dir), max(1, num_processes))
    except (AssertionError, RuntimeError, FileNotFoundError, KeyError, StopIteration) as error:
        details = str(error).strip()
        if isinstance(error, RuntimeError):
            details = _diagnose_cases(dataset_dir, dataset_json) or details
        raise DatasetIntegrityError(
            f"nnU-Net raw dataset '{dataset_dir}' failed nnU-Net's integrity check:\n{details}\n"
            "Fix these files (labels must be single-channel 0 background / 1 myelin / 2 axon, the "
            "same shape as their image) or re-export the dataset."
        ) from error
    logger.info("nnU-Net integrity check passed for %s.", dataset_dir)
    return dataset_json

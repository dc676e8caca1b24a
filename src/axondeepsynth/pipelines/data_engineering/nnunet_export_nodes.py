"""Node: a labelled microscopy dataset (BIDS, nnU-Net raw or plain folder) -> nnU-Net v2 raw dataset.

The data_engineering pipeline runs it so that ``kedro run --pipeline segmentation`` finds a
dataset to plan and train on. Subjects are kept whole on one side of the train/test split.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import NnUNetPaths, dataset_folder_name
from axondeepsynth.nnunet.raw_dataset import RawCase, write_raw_dataset
from axondeepsynth.nnunet.subject_split import split_test_groups

logger = logging.getLogger(__name__)


def _scale_factor(pixel_size_um: float | None, target_pixel_size_um: float | None, path: Path) -> float:
    """Size multiplier that brings an image to the target pixel size (1.0 without a target)."""
    if target_pixel_size_um is None:
        return 1.0
    if pixel_size_um is None:
        raise ValueError(
            f"'{path}' has no known pixel size, so it cannot be brought to target_pixel_size_um="
            f"{target_pixel_size_um}; add PixelSize to its BIDS sidecar or set nnunet_export.target_pixel_size_um: null."
        )
    return pixel_size_um / float(target_pixel_size_um)


def export_nnunet_raw_dataset(source_dir: str, export: dict[str, Any], nnunet: dict[str, Any]) -> dict[str, Any]:
    """Export the images of ``source_dir`` with their masks as an nnU-Net raw dataset.

    Args:
        source_dir: a BIDS microscopy folder (masks in ``derivatives/labels``, combined
            ``*_seg-axonmyelin*`` 0/127|128/255, any PNG mode), an nnU-Net raw folder or a plain folder.
        export: ``modality`` (channel/modality name, e.g. ``SEM``), ``test_fraction`` (share of
            subjects held out for ``imagesTs``), ``seed``, ``target_pixel_size_um`` (rescale every
            image to this pixel side in micrometres, ``null`` keeps sizes), ``overwrite``.
        nnunet: ``base_dir``, ``dataset_id``, ``dataset_name`` (as in ``segmentation.nnunet``).

    Returns:
        ``{"dataset_dir", "dataset_id", "num_training", "num_test", "test_subjects"}``.
        Unlabelled images go to the test set (to segment) whatever their subject.

    Raises:
        DatasetConflictError: the dataset id already holds other content and overwrite is false.
    """
    records = discover_images(source_dir, modality=export["modality"])
    test_groups = split_test_groups([r.group for r in records if r.label_path is not None],
                                    float(export.get("test_fraction", 0.0)), int(export.get("seed", 0)))
    target = export.get("target_pixel_size_um")
    cases = [
        RawCase(
            case_id=record.sample,
            image_path=record.path,
            label_path=record.label_path,
            test=record.label_path is None or record.group in test_groups,
            subject=record.group,
            pixel_size_um=record.pixel_size_um,
            scale_factor=_scale_factor(record.pixel_size_um, target, record.path),
        )
        for record in records
    ]
    dataset_dir = NnUNetPaths(Path(nnunet["base_dir"])).raw / dataset_folder_name(
        int(nnunet["dataset_id"]), str(nnunet["dataset_name"]))
    content = write_raw_dataset(dataset_dir, int(nnunet["dataset_id"]), cases, export["modality"],
                                overwrite=bool(export.get("overwrite", False)))
    return {
        "dataset_dir": str(dataset_dir),
        "dataset_id": int(nnunet["dataset_id"]),
        "num_training": int(content["numTraining"]),
        "num_test": sum(1 for case in cases if case.test),
        "test_subjects": sorted(test_groups),
    }

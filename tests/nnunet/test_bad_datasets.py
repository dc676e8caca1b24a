"""Bad input reaches the user as a clear error: nnU-Net's integrity check, missing folds, no images."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import write_png_atomic
from axondeepsynth.nnunet.integrity import DatasetIntegrityError, verify_raw_dataset
from axondeepsynth.nnunet.planning import DatasetNotFoundError, PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.prediction import FoldNotTrainedError, check_folds_trained
from axondeepsynth.nnunet.raw_dataset import DatasetJsonError
from axondeepsynth.pipelines.segmentation.segmentation_cases import NoImagesToSegmentError, find_segmentation_cases


@pytest.fixture(scope="module")
def small_sem_dataset(real_data_dir, tmp_path_factory, export_raw):
    """The real SEM samples at 1 um per pixel (tiny images) as an nnU-Net raw dataset."""
    base = tmp_path_factory.mktemp("bad") / "nnunet"
    dataset_dir, _ = export_raw(real_data_dir / "sem_bids", base, 520, "SEM", test_fraction=0.0, pixel_size_um=1.0)
    return dataset_dir


@pytest.fixture
def broken_copy(small_sem_dataset, tmp_path):
    copy = tmp_path / "Dataset520_SEM"
    shutil.copytree(small_sem_dataset, copy)
    return copy


def test_labels_outside_the_declared_set_name_the_file(broken_copy):
    label = sorted((broken_copy / "labelsTr").glob("*.png"))[0]
    labels = np.zeros((20, 20), np.uint8)
    write_png_atomic(label, labels, overwrite=True)  # also mismatches its image's shape
    labels_bad = sorted((broken_copy / "labelsTr").glob("*.png"))[1]
    from axondeepsynth.imaging.image_io import read_label_map

    values = read_label_map(labels_bad)
    values[0, 0] = 7
    write_png_atomic(labels_bad, values, overwrite=True)
    with pytest.raises(DatasetIntegrityError) as error:
        verify_raw_dataset(broken_copy, num_processes=1)
    message = str(error.value)
    assert labels_bad.name in message and "Unexpected labels" in message
    assert label.name in message and "Shape mismatch" in message


def test_missing_or_malformed_dataset_json(broken_copy):
    (broken_copy / "dataset.json").write_text("{not json")
    with pytest.raises(DatasetJsonError, match="not valid JSON"):
        verify_raw_dataset(broken_copy, num_processes=1)
    (broken_copy / "dataset.json").write_text(json.dumps({"labels": {"background": 0}}))
    with pytest.raises(DatasetJsonError, match="channel_names"):
        verify_raw_dataset(broken_copy, num_processes=1)
    (broken_copy / "dataset.json").unlink()
    with pytest.raises(DatasetJsonError, match="missing"):
        verify_raw_dataset(broken_copy, num_processes=1)


def test_missing_label_file_fails_the_integrity_check(broken_copy):
    sorted((broken_copy / "labelsTr").glob("*.png"))[0].unlink()
    with pytest.raises(DatasetIntegrityError, match="labelsTr"):
        verify_raw_dataset(broken_copy, num_processes=1)


def test_unknown_dataset_id_and_untrained_fold(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="id 999"):
        plan_and_preprocess(tmp_path, 999, PlanningSettings())
    (tmp_path / "fold_0").mkdir()
    (tmp_path / "fold_0" / "checkpoint_final.pth").write_bytes(b"")
    assert check_folds_trained(tmp_path, [0], "checkpoint_final.pth") == [0]
    with pytest.raises(FoldNotTrainedError, match="Fold 1 was never trained"):
        check_folds_trained(tmp_path, [0, "1"], "checkpoint_final.pth")
    with pytest.raises(FoldNotTrainedError, match="checkpoint_best"):
        check_folds_trained(tmp_path, [0], "checkpoint_best.pth")


def test_no_images_to_segment(small_sem_dataset, tmp_path):
    with pytest.raises(NoImagesToSegmentError, match="imagesTs"):
        find_segmentation_cases(small_sem_dataset, None, None)
    with pytest.raises(NoImagesToSegmentError, match="does not exist"):
        find_segmentation_cases(small_sem_dataset, str(tmp_path / "nowhere"), None)

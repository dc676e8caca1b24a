"""Export of the real SEM samples (BIDS, L and LA masks) to nnU-Net raw, and the dataset-id guard."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.nnunet.raw_dataset import DatasetConflictError, case_pixel_sizes_um
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_nnunet_raw_dataset

EXPORT = {"modality": "SEM", "test_fraction": 0.3, "seed": 0, "target_pixel_size_um": 0.5, "overwrite": False}


def _nnunet(base, dataset_id=510, name="SEM"):
    return {"base_dir": str(base), "dataset_id": dataset_id, "dataset_name": name}


def test_real_sem_export_is_single_channel_subject_wise_and_scaled(real_data_dir, tmp_path):
    summary = export_nnunet_raw_dataset(str(real_data_dir / "sem_bids"), EXPORT, _nnunet(tmp_path))
    dataset = tmp_path / "nnUNet_raw" / "Dataset510_SEM"
    assert summary["num_training"] + summary["num_test"] == 7 and summary["num_test"] >= 1
    content = json.loads((dataset / "dataset.json").read_text())
    assert content["labels"] == {"background": 0, "myelin": 1, "axon": 2}
    cases = content["axondeepsynth"]["cases"]
    train_subjects = {c["subject"] for c in cases.values() if c["split"] == "train"}
    test_subjects = {c["subject"] for c in cases.values() if c["split"] == "test"}
    assert train_subjects and test_subjects and not train_subjects & test_subjects
    assert list(case_pixel_sizes_um(content).values()) == pytest.approx([0.5] * 7)
    for case, info in cases.items():
        images, labels = ("imagesTr", "labelsTr") if info["split"] == "train" else ("imagesTs", "labelsTs")
        with Image.open(dataset / labels / f"{case}.png") as mask, Image.open(dataset / images / f"{case}_0000.png") as im:
            assert mask.mode == "L" and im.mode == "L" and mask.size == im.size
            values = set(np.unique(np.asarray(mask)))
        assert values == {0, 1, 2}, case  # the LA combined mask of sub-rat5 included
    # sub-rat3's pixel size comes from its subject-level sidecar: 3 samples scaled alike
    assert len({tuple(c["shape"]) for s, c in cases.items() if "rat3" in s}) == 3


def test_same_sources_are_kept_and_other_content_under_the_id_is_refused(real_data_dir, tmp_path):
    export_nnunet_raw_dataset(str(real_data_dir / "sem_bids"), EXPORT, _nnunet(tmp_path))
    dataset_json = tmp_path / "nnUNet_raw" / "Dataset510_SEM" / "dataset.json"
    written = dataset_json.stat().st_mtime_ns
    export_nnunet_raw_dataset(str(real_data_dir / "sem_bids"), EXPORT, _nnunet(tmp_path))
    assert dataset_json.stat().st_mtime_ns == written
    with pytest.raises(DatasetConflictError, match="other content"):
        export_nnunet_raw_dataset(str(real_data_dir / "tem_bids"), {**EXPORT, "test_fraction": 0.0,
                                                                  "target_pixel_size_um": None}, _nnunet(tmp_path))
    with pytest.raises(DatasetConflictError, match="already used by"):
        export_nnunet_raw_dataset(str(real_data_dir / "sem_bids"), EXPORT, _nnunet(tmp_path, name="OTHER"))
    export_nnunet_raw_dataset(str(real_data_dir / "tem_bids"), {**EXPORT, "test_fraction": 0.0, "overwrite": True,
                                                              "target_pixel_size_um": None}, _nnunet(tmp_path))
    assert json.loads(dataset_json.read_text())["numTraining"] == 1

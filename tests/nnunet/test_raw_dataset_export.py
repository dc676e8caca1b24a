"""Export of the real SEM samples (BIDS, L and LA masks) to nnU-Net raw, and the dataset-id guard."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.raw_dataset import (
    DatasetConflictError,
    RawCase,
    case_pixel_sizes_um,
    dataset_pixel_size_um,
    write_raw_dataset,
)


def test_real_sem_export_is_single_channel_subject_wise_and_scaled(real_data_dir, tmp_path, export_raw):
    dataset, test_subjects = export_raw(real_data_dir / "sem_bids", tmp_path, 510, "SEM", 0.3, pixel_size_um=0.5)
    content = json.loads((dataset / "dataset.json").read_text())
    assert len(content["axondeepsynth"]["cases"]) == 7 and test_subjects
    assert content["axondeepsynth"]["pixel_size_um"] == pytest.approx(0.5) == dataset_pixel_size_um(content)
    assert content["labels"] == {"background": 0, "myelin": 1, "axon": 2}
    cases = content["axondeepsynth"]["cases"]
    train_subjects = {c["subject"] for c in cases.values() if c["split"] == "train"}
    test_subjects = {c["subject"] for c in cases.values() if c["split"] == "test"}
    assert train_subjects and test_subjects and not train_subjects & test_subjects
    assert list(case_pixel_sizes_um(content).values()) == pytest.approx([0.5] * 7)
    for case, info in cases.items():
        images, labels = ("imagesTr", "labelsTr") if info["split"] == "train" else ("imagesTs", "labelsTs")
        with (Image.open(dataset / labels / f"{case}.png") as mask,
              Image.open(dataset / images / f"{case}_0000.png") as im):
            assert mask.mode == "L" and im.mode == "L" and mask.size == im.size
            values = set(np.unique(np.asarray(mask)))
        assert values == {0, 1, 2}, case  # the LA combined mask of sub-rat5 included
    # sub-rat3's pixel size comes from its subject-level sidecar: 3 samples scaled alike
    assert len({tuple(c["shape"]) for s, c in cases.items() if "rat3" in s}) == 3


def test_same_sources_are_kept_and_other_content_under_the_id_is_refused(real_data_dir, tmp_path, export_raw):
    sem, tem = real_data_dir / "sem_bids", real_data_dir / "tem_bids"
    dataset, _ = export_raw(sem, tmp_path, 510, "SEM", 0.3, pixel_size_um=0.5)
    dataset_json = dataset / "dataset.json"
    written = dataset_json.stat().st_mtime_ns
    export_raw(sem, tmp_path, 510, "SEM", 0.3, pixel_size_um=0.5)
    assert dataset_json.stat().st_mtime_ns == written
    with pytest.raises(DatasetConflictError, match="other content"):
        export_raw(tem, tmp_path, 510, "SEM", 0.0)
    with pytest.raises(DatasetConflictError, match="already used by"):
        export_raw(sem, tmp_path, 510, "OTHER", 0.3, pixel_size_um=0.5)
    export_raw(tem, tmp_path, 510, "SEM", 0.0, overwrite=True)
    assert json.loads(dataset_json.read_text())["numTraining"] == 1


def test_mixed_pixel_sizes_are_recorded_per_case_only(real_data_dir, tmp_path, export_raw):
    dataset, _ = export_raw(real_data_dir / "sem_bids", tmp_path, 511, "SEM", 0.0)
    content = json.loads((dataset / "dataset.json").read_text())
    sizes = case_pixel_sizes_um(content)
    assert len(sizes) == 7 and max(sizes.values()) > 2 * min(sizes.values())  # 0.07 to 0.18 um
    assert content["axondeepsynth"]["pixel_size_um"] is None and dataset_pixel_size_um(content) is None


def test_anisotropic_pixels_are_exported_square(real_data_dir, tmp_path):
    micr = tmp_path / "bids" / "sub-a" / "micr"
    micr.mkdir(parents=True)
    source = next((real_data_dir / "sem_bids").rglob("sub-rat4_sample-data12_SEM.png"))
    shutil.copy(source, micr / "sub-a_sample-s1_SEM.png")
    (micr / "sub-a_sample-s1_SEM.json").write_text(json.dumps({"PixelSize": [0.1, 0.2]}))  # [width, height]
    (record,) = discover_images(tmp_path / "bids")
    factor = resolve_scale_factor("auto", record.pixel_sizes_yx_um, 0.1, "test")
    anisotropic = RawCase("s1", record.path, None, True, "sub-a", record.pixel_sizes_yx_um, factor)
    (labelled,) = [r for r in discover_images(real_data_dir / "sem_bids") if "rat4" in r.sample]
    training = RawCase("rat4", labelled.path, labelled.label_path, False, labelled.group, labelled.pixel_size_um)
    content = write_raw_dataset(tmp_path / "Dataset512_SEM", 512, [anisotropic, training], "SEM")
    exported = read_grayscale(tmp_path / "Dataset512_SEM" / "imagesTs" / "s1_0000.png")
    original = read_grayscale(source)
    assert exported.shape == (2 * original.shape[0], original.shape[1])  # rows resampled, columns kept
    assert content["axondeepsynth"]["cases"]["s1"]["pixel_size_um"] == pytest.approx(0.1)

"""Tutorship datasets: nnU-Net accepts them, labels are the source's, ids are protected."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.errors import UnownedOutputError
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.rescaling import resolve_scale_factor, scaled_shape
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.raw_dataset import dataset_pixel_size_um
from axondeepsynth.project_outputs import write_ownership_manifest
from axondeepsynth.translation.folder_source import FolderSource
from axondeepsynth.translation.nnunet_raw_writer import (
    MissingLabelError,
    NnUNetRawTarget,
    write_tutorship_dataset,
)
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
from axondeepsynth.translation.translation_source import translated_cases


def _write(source_root: Path, nnunet_dir: Path, engine, dataset_id: int = 12, overwrite: bool = False,
           scale: float = 1.0):
    source = FolderSource.uniform(discover_images(source_root, modality="sem"), 64, 16, scale)
    target = NnUNetRawTarget(nnunet_dir, dataset_id, "sem", "tem")
    mapping = write_tutorship_dataset(target, translated_cases(source, engine), len(source.images), overwrite)
    return target, source, mapping


def _verify(nnunet_dir: Path, dataset_dir: Path) -> None:
    activate_nnunet_environment(nnunet_dir, num_processes=1)
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

    verify_dataset_integrity(str(dataset_dir), num_processes=1)


def test_tutorship_dataset_passes_nnunet_integrity_check_with_byte_identical_labels(
    sem_nnunet_source, tmp_path, identity_engine
):
    target, source, mapping = _write(sem_nnunet_source, tmp_path, identity_engine, scale=0.7)
    dataset_dir = tmp_path / "nnUNet_raw" / "Dataset012_SYNTH_tem_from_sem"
    assert target.dataset_dir == dataset_dir
    _verify(tmp_path, dataset_dir)

    saved = json.loads((dataset_dir / "translated_to_original.json").read_text())
    assert saved == mapping and len(mapping) == len(source.images)
    for case_id, entry in mapping.items():
        original_label = Path(entry["source_label"])
        assert (dataset_dir / entry["label"]).read_bytes() == original_label.read_bytes()
        translated = read_grayscale(dataset_dir / entry["image"])
        assert translated.shape == read_grayscale(entry["source_image"]).shape
        assert entry["image"] == f"imagesTr/{case_id}_0000.png"
    dataset_json = json.loads((dataset_dir / "dataset.json").read_text())
    assert dataset_json["labels"] == {"background": 0, "myelin": 1, "axon": 2}
    assert dataset_json["numTraining"] == len(mapping)


def test_bids_labels_are_converted_to_nnunet_classes(tem_bids_source, tmp_path, identity_engine):
    source = FolderSource.uniform(discover_images(tem_bids_source, modality="tem"), 256, 32, 0.25)
    target = NnUNetRawTarget(tmp_path, 5, "tem", "sem")
    mapping = write_tutorship_dataset(target, translated_cases(source, identity_engine), 1)
    (entry,) = mapping.values()
    with Image.open(target.dataset_dir / entry["label"]) as label_png:
        assert label_png.mode == "L"
        written = np.asarray(label_png)
    assert np.array_equal(written, read_label_map(entry["source_label"]))
    assert set(np.unique(written)) == {0, 1, 2}


def test_existing_dataset_id_is_refused_unless_overwrite(sem_nnunet_source, tmp_path, identity_engine):
    other = tmp_path / "nnUNet_raw" / "Dataset012_SOMETHING_ELSE"
    other.mkdir(parents=True)
    (other / "dataset.json").write_text("{}")
    with pytest.raises(FileExistsError, match="dataset id 12 is already used"):
        _write(sem_nnunet_source, tmp_path, identity_engine)
    assert not (tmp_path / "nnUNet_raw" / "Dataset012_SYNTH_tem_from_sem").exists()

    with pytest.raises(UnownedOutputError, match="Dataset012_SOMETHING_ELSE' exists and was not written"):
        _write(sem_nnunet_source, tmp_path, identity_engine, overwrite=True)
    assert sorted(p.name for p in (tmp_path / "nnUNet_raw").iterdir()) == [other.name]

    write_ownership_manifest(other)  # a dataset the project wrote may be replaced
    target, _, _ = _write(sem_nnunet_source, tmp_path, identity_engine, overwrite=True)
    assert sorted(p.name for p in (tmp_path / "nnUNet_raw").iterdir()) == [target.dataset_dir.name]


def test_unlabelled_source_is_refused_and_nothing_is_left(tmp_path, real_data_dir, identity_engine):
    records = discover_images(real_data_dir / "tem_bids" / "sub-mouse1", modality="tem")
    source = FolderSource.uniform(records, 256, 32, 0.25)
    target = NnUNetRawTarget(tmp_path, 7, "tem", "sem")
    with pytest.raises(MissingLabelError, match="no label map"):
        write_tutorship_dataset(target, translated_cases(source, identity_engine), 1)
    assert list((tmp_path / "nnUNet_raw").iterdir()) == []


def test_a_tutorship_dataset_is_written_at_the_working_pixel_size(tem_bids_source, tmp_path):
    working = 0.01  # um/px; the TEM sample is at 0.00236 um/px
    records = discover_images(tem_bids_source, modality="tem")
    sources = [TiledImageSource(r, resolve_scale_factor("auto", r.pixel_sizes_yx_um, working, "test"), 128, 16)
               for r in records]
    engine = TiledTranslationEngine(lambda tiles, seeds: tiles, batch_size=8, keep_scaled_size=True)
    target = NnUNetRawTarget(tmp_path, 14, "tem", "sem")
    mapping = write_tutorship_dataset(target, translated_cases(FolderSource(sources), engine), len(records),
                                      pixel_size_um=working)
    _verify(tmp_path, target.dataset_dir)
    content = json.loads((target.dataset_dir / "dataset.json").read_text())
    assert content["axondeepsynth"]["pixel_size_um"] == working
    assert dataset_pixel_size_um(content) == working
    (entry,) = mapping.values()
    source_labels = read_label_map(entry["source_label"])
    expected = scaled_shape(source_labels.shape, 0.00236 / working)
    image = read_grayscale(target.dataset_dir / entry["image"])
    labels = read_label_map(target.dataset_dir / entry["label"])
    assert image.shape == labels.shape == expected == (236, 472)
    for value in (1, 2):  # the same tissue, only at another pixel size
        assert np.mean(labels == value) == pytest.approx(np.mean(source_labels == value), abs=0.01)

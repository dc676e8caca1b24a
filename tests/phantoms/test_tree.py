"""The written tree: BIDS datasets, paired renderings and nnU-Net datasets that their readers accept."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.phantoms import MODALITIES, PhantomConfig, read_manifest, write_phantom_tree


@pytest.fixture(scope="module")
def manifest(phantom_root: Path):
    found = read_manifest(phantom_root)
    assert found is not None
    return found


def test_manifest_records_config_and_parts(manifest, phantom_config: PhantomConfig, phantom_root: Path) -> None:
    assert manifest.config == phantom_config
    assert manifest.bids == {"sem": phantom_root / "sem_bids", "tem": phantom_root / "tem_bids"}
    assert manifest.nnunet["sem"].name == "Dataset501_PHANTOM_SEM"
    assert all(p.is_dir() for p in [*manifest.bids.values(), manifest.paired, *manifest.nnunet.values()])


@pytest.mark.parametrize("modality", MODALITIES)
def test_bids_dataset_is_read_by_the_project_reader(manifest, phantom_config: PhantomConfig, modality: str) -> None:
    records = discover_images(manifest.bids[modality], modality=modality)
    pixel_size = phantom_config.pixel_size_um[modality]
    assert len(records) == phantom_config.n_subjects * phantom_config.samples_per_subject
    assert {r.subject for r in records} == {f"sub-{s}" for s in phantom_config.subject_ids(modality)}
    for record in records:
        assert record.path.name.endswith(f"_{modality.upper()}.png")
        assert record.pixel_size_um == pytest.approx(pixel_size)
        image = read_grayscale(record.path)
        assert image.shape == phantom_config.image_shape(pixel_size)
        labels = read_label_map(record.label_path)
        assert set(np.unique(labels)) == {0, 1, 2}
        masks = record.label_path.parent
        stem = record.path.stem
        axon = np.array(Image.open(masks / f"{stem}_seg-axon-manual.png"))
        myelin = np.array(Image.open(masks / f"{stem}_seg-myelin-manual.png"))
        np.testing.assert_array_equal(axon == 255, labels == 2)
        np.testing.assert_array_equal(myelin == 255, labels == 1)


def test_sem_and_tem_use_different_subjects(manifest) -> None:
    for modality in MODALITIES:
        tsv = (manifest.bids[modality] / "participants.tsv").read_text().split("\n")
        assert tsv[0].split("\t")[0] == "participant_id"
    sem = {r.subject for r in discover_images(manifest.bids["sem"])}
    tem = {r.subject for r in discover_images(manifest.bids["tem"])}
    assert sem.isdisjoint(tem)


def test_paired_images_share_grid_and_labels_of_their_source(manifest, phantom_config: PhantomConfig) -> None:
    paired = sorted(p for p in manifest.paired.rglob("*.png") if "_seg-" not in p.name)
    assert len(paired) == 2 * phantom_config.n_subjects * phantom_config.samples_per_subject
    for path in paired:
        sidecar = json.loads(path.with_suffix(".json").read_text())
        source = manifest.root / sidecar["SourceImage"]
        source_modality = path.parent.name
        assert source.parent.parent.parent.name == f"{source_modality}_bids"
        assert path.name.removesuffix(".png").rsplit("_", 1)[0] == source.name.removesuffix(".png").rsplit("_", 1)[0]
        assert json.loads(source.with_suffix(".json").read_text())["PixelSize"] == sidecar["PixelSize"]
        source_labels = manifest.bids[source_modality] / "derivatives" / "labels" / source.relative_to(
            manifest.bids[source_modality]).parent / f"{source.stem}_seg-axonmyelin-manual.png"
        paired_labels = path.with_name(f"{path.stem}_seg-axonmyelin-manual.png")
        np.testing.assert_array_equal(read_label_map(paired_labels), read_label_map(source_labels))
        image, source_image = read_grayscale(path), read_grayscale(source)
        assert image.shape == source_image.shape
        assert not np.array_equal(image, source_image)


@pytest.mark.parametrize("modality", MODALITIES)
def test_nnunet_dataset_passes_nnunet_integrity_check(
    manifest, phantom_config: PhantomConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, modality: str
) -> None:
    for name in ("nnUNet_raw", "nnUNet_preprocessed", "nnUNet_results"):
        monkeypatch.setenv(name, str(tmp_path / name))
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

    folder = manifest.nnunet[modality]
    verify_dataset_integrity(str(folder), num_processes=1)
    dataset = json.loads((folder / "dataset.json").read_text())
    n_test = phantom_config.test_subject_count() * phantom_config.samples_per_subject
    assert dataset["numTraining"] == len(list((folder / "imagesTr").iterdir()))
    assert len(list((folder / "imagesTs").iterdir())) == len(list((folder / "labelsTs").iterdir())) == n_test
    train_subjects = {p.name.split("_")[2] for p in (folder / "imagesTr").iterdir()}
    test_subjects = {p.name.split("_")[2] for p in (folder / "imagesTs").iterdir()}
    assert train_subjects.isdisjoint(test_subjects)


def test_write_refuses_an_occupied_folder(phantom_root: Path, phantom_config: PhantomConfig) -> None:
    before = (phantom_root / "phantom_manifest.json").stat().st_mtime_ns
    with pytest.raises(FileExistsError, match="overwrite"):
        write_phantom_tree(phantom_config, phantom_root)
    assert (phantom_root / "phantom_manifest.json").stat().st_mtime_ns == before

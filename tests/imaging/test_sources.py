"""Discovery of BIDS, nnU-Net raw and plain image folders on the real samples and phantoms."""

import json
import shutil
from pathlib import Path

import pytest

from axondeepsynth.imaging.bids_layout import SidecarError, inherited_sidecar, parse_entities
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError
from axondeepsynth.imaging.sources import SourceNotFoundError, discover_images


def test_real_sem_bids_subjects_sidecars_and_labels(real_data_dir: Path) -> None:
    records = discover_images(real_data_dir / "sem_bids", modality="sem")
    assert len(records) == 7
    assert {r.subject for r in records} == {"sub-rat1", "sub-rat3", "sub-rat4", "sub-rat5", "sub-rat7"}
    rat3 = [r for r in records if r.subject == "sub-rat3"]
    assert len(rat3) == 3 and {r.pixel_size_um for r in rat3} == {0.1}
    for record in records:
        assert record.modality == "sem" and record.group == record.subject
        assert record.label_path is not None and record.label_path.name.endswith("_seg-axonmyelin-manual.png")
        assert record.label_path.name.startswith(record.sample)
        assert "derivatives" not in record.path.parts
        sidecar = record.path.with_suffix(".json")
        if sidecar.is_file():
            assert record.pixel_size_um == json.loads(sidecar.read_text())["PixelSize"][0]


def test_real_tem_single_subject(real_data_dir: Path) -> None:
    (record,) = discover_images(real_data_dir / "tem_bids", modality="tem")
    assert record.subject == "sub-mouse1" and record.pixel_size_um == pytest.approx(0.00236)


def test_sidecar_inheritance_order_and_units(tmp_path: Path, real_data_dir: Path) -> None:
    root = tmp_path / "bids"
    micr = root / "sub-a" / "micr"
    micr.mkdir(parents=True)
    source = next((real_data_dir / "sem_bids").rglob("sub-rat4_sample-data12_SEM.png"))
    for sample in ("s1", "s2"):
        shutil.copy(source, micr / f"sub-a_sample-{sample}_SEM.png")
    (root / "dataset_description.json").write_text("{}")
    (root / "SEM.json").write_text(json.dumps({"PixelSize": [0.5, 0.5], "BodyPart": "CSPINE"}))
    (micr / "sub-a_SEM.json").write_text(json.dumps({"PixelSize": [200, 200], "PixelSizeUnits": "nm"}))
    (micr / "sub-a_sample-s2_SEM.json").write_text(json.dumps({"PixelSize": [0.3, 0.3], "PixelSizeUnits": "um"}))
    (micr / "sub-a_TEM.json").write_text(json.dumps({"PixelSize": [9, 9]}))
    first, second = discover_images(root)
    assert first.pixel_size_um == pytest.approx(0.2)
    assert second.pixel_size_um == pytest.approx(0.3)
    assert inherited_sidecar(first.path, root)["BodyPart"] == "CSPINE"
    assert first.label_path is None and first.subject == "sub-a"
    (micr / "sub-a_sample-s2_SEM.json").write_text(json.dumps({"PixelSize": [1], "PixelSizeUnits": "inch"}))
    with pytest.raises(SidecarError, match="sub-a_sample-s2_SEM.png"):
        discover_images(root)


def test_parse_entities() -> None:
    assert parse_entities("sub-rat3_sample-data9_SEM.ome.tif") == ({"sub": "rat3", "sample": "data9"}, "SEM")


def test_phantom_nnunet_raw_cases_with_labels(phantom_root: Path) -> None:
    dataset = next((phantom_root / "nnunet").glob("Dataset*_SEM"))
    records = discover_images(dataset, modality="sem")
    train = sorted((dataset / "imagesTr").iterdir())
    test = sorted((dataset / "imagesTs").iterdir())
    assert [r.path for r in records] == train + test
    for record in records:
        assert record.subject is None and record.group == record.sample
        assert record.path.name == f"{record.sample}_0000.png"
        assert record.label_path is not None and record.label_path.name == f"{record.sample}.png"


def test_plain_folder_excludes_and_refuses_label_names(tmp_path: Path, real_data_dir: Path) -> None:
    images = sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*.png"))[:2]
    (tmp_path / "a" / "skip").mkdir(parents=True)
    shutil.copy(images[0], tmp_path / "a" / "one.png")
    shutil.copy(images[1], tmp_path / "two.png")
    shutil.copy(images[1], tmp_path / "a" / "skip" / "three.png")
    records = discover_images(tmp_path, exclude_dirs=("skip",), modality="x")
    assert [r.sample for r in records] == ["a/one", "two"]
    assert all(r.subject is None and r.pixel_size_um is None for r in records)
    mask = next((real_data_dir / "sem_bids").rglob("*_seg-axon-manual.png"))
    shutil.copy(mask, tmp_path / "a" / mask.name)
    with pytest.raises(LabelMapAmongImagesError, match=mask.name):
        discover_images(tmp_path, exclude_dirs=("skip",))


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="absent"):
        discover_images(tmp_path / "absent")
    (tmp_path / "derivatives").mkdir()
    (tmp_path / "derivatives" / "x.png").write_bytes(b"")
    with pytest.raises(SourceNotFoundError, match="derivatives"):
        discover_images(tmp_path)


def test_nnunet_export_metadata_gives_subjects_and_pixel_sizes(tmp_path: Path, phantom_root: Path) -> None:
    dataset = tmp_path / "Dataset900_X"
    shutil.copytree(next((phantom_root / "nnunet").glob("Dataset*_SEM")), dataset)
    description = json.loads((dataset / "dataset.json").read_text())
    first_case = sorted((dataset / "imagesTr").iterdir())[0].name[: -len("_0000.png")]
    description["axondeepsynth"] = {"cases": {first_case: {"subject": "sub-7", "pixel_size_um": 0.25}}}
    (dataset / "dataset.json").write_text(json.dumps(description))
    first, *others = discover_images(dataset)
    assert (first.sample, first.subject, first.pixel_size_um) == (first_case, "sub-7", 0.25)
    assert all(r.subject is None and r.pixel_size_um is None for r in others)

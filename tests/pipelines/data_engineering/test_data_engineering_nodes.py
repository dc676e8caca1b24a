"""data_engineering nodes on the real samples and on phantoms, and their refusals of bad input."""

import shutil
from pathlib import Path

import pytest

from axondeepsynth.artifacts.phantoms import PhantomsNotGenerated
from axondeepsynth.imaging.image_io import ImageReadError
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError
from axondeepsynth.imaging.sources import SourceNotFoundError
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.parameters.phantoms import PhantomParams
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_source_dataset, export_target_dataset
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    make_phantoms,
    plan_tiles_to_translate,
    split_syndiff_sources,
)


def _inputs(sem: Path, tem: Path, **changes) -> InputsParams:
    values = {"generate_phantoms": False,
              "source": {"modality": "sem", "path": str(sem), "scale": "auto"},
              "target": {"modality": "tem", "path": str(tem), "scale": 0.1, "test_fraction": 0.0, "test_seed": 0,
                         "transductive": False, "regions": None},
              "paired": None, "working_pixel_size_um": 0.5, "exclude_dirs": ["derivatives", ".git"], **changes}
    return InputsParams.model_validate(values)


@pytest.fixture
def params(shipped_parameters) -> DataEngineeringParams:
    return DataEngineeringParams.model_validate(shipped_parameters(data_engineering={"seed": 7})["data_engineering"])


def test_real_samples_split_by_subject_and_count(real_data_dir: Path, params) -> None:
    sources = discover_sources(None, _inputs(real_data_dir / "sem_bids", real_data_dir / "tem_bids"))
    assert list(sources.images) == ["sem", "tem"] and sources.paired is None
    assert [len(v) for v in sources.images.values()] == [7, 1]
    factors = {item.record.pixel_size_um / 0.5 for item in sources.images["sem"]}
    assert {item.scale_factor for item in sources.images["sem"]} == factors
    train, val, test, paired, counts = split_syndiff_sources(sources, params)
    subjects = [{i.record.subject for i in split.images["sem"]} for split in (train, val, test)]
    assert [len(s) for s in subjects] == [3, 1, 1] and not (subjects[0] & (subjects[1] | subjects[2]))
    assert [len(split.images["tem"]) for split in (train, val, test)] == [1, 1, 1]
    assert val.attrs["shared_with_train"] == ["tem"] and train.attrs["shared_with_train"] == []
    assert paired.images == {}
    assert counts["images.train.tem"] == {"value": 1.0, "step": 0}
    assert sum(counts[f"images.{s}.sem"]["value"] for s in ("train", "val", "test")) == 7


def test_phantoms_with_paired_renderings_tiles_and_exports(phantom_root: Path, phantom_config, params,
                                                           shipped_parameters) -> None:
    inputs = _inputs(phantom_root / "sem_bids", phantom_root / "tem_bids", paired=str(phantom_root / "paired"),
                     working_pixel_size_um=0.1, target={"modality": "tem", "path": str(phantom_root / "tem_bids"),
                                                        "scale": "auto", "test_fraction": 0.34, "test_seed": 0,
                                                        "transductive": False, "regions": None})
    sources = discover_sources(None, inputs)
    n = phantom_config.n_subjects * phantom_config.samples_per_subject
    assert [len(sources.paired[m]) for m in ("sem", "tem")] == [2 * n, 2 * n]
    for sem_item, tem_item in zip(sources.paired["sem"], sources.paired["tem"]):
        assert sem_item().shape == tem_item().shape
        assert sem_item.record.subject == tem_item.record.subject
    *_, paired, _ = split_syndiff_sources(sources, params)
    held_out = sum(item.record.group in sources.target_test_subjects for item in sources.paired["tem"])
    assert len(sources.target_test_subjects) == 1 and held_out > 0
    assert paired.counts() == {"sem": 2 * n - held_out, "tem": 2 * n - held_out}, "no test subject's pairs"

    plan = plan_tiles_to_translate(sources, params)
    assert (plan.modality, plan.tile_size, plan.overlap) == ("sem", 64, 16) and len(plan.images) == n
    tiled = plan.images[0]()
    assert tiled.labels is not None and tiled.labels.shape == tiled.image.shape
    assert phantom_root / "sem_bids" in plan.source_roots

    export = NnUNetExportParams.model_validate(shipped_parameters()["nnunet_export"])
    source = export_source_dataset(sources, export)
    assert source.modality == "sem" and {case.scale_factor for case in source.cases} == {1.0}
    target = export_target_dataset(sources, inputs, export)
    assert [case.scale_factor for case in target.cases] == pytest.approx([0.05 / 0.1] * n), "to the working size"
    assert len(target.test_subjects) == 1 and not any(c.test for c in target.cases if c.subject not in
                                                      target.test_subjects)


def test_phantom_node_generates_or_says_it_did_not(phantom_config) -> None:
    params = PhantomParams.model_validate({k: phantom_config.to_dict()[k] for k in PhantomParams.model_fields})
    assert make_phantoms(params, generate=True).config == phantom_config
    assert isinstance(make_phantoms(params, generate=False), PhantomsNotGenerated)


def test_missing_source_and_no_images_after_exclusion(real_data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="absent"):
        discover_sources(None, _inputs(tmp_path / "absent", real_data_dir / "tem_bids"))
    excluded = _inputs(real_data_dir / "sem_bids", real_data_dir / "tem_bids", exclude_dirs=["derivatives", "micr"])
    with pytest.raises(SourceNotFoundError, match="sem_bids"):
        discover_sources(None, excluded)


def test_truncated_image_and_label_map_are_refused(real_data_dir: Path, tmp_path: Path) -> None:
    tem = tmp_path / "tem_bids"
    shutil.copytree(real_data_dir / "tem_bids", tem)
    image = next(tem.glob("sub-*/micr/*.png"))
    image.write_bytes(image.read_bytes()[:20000])
    with pytest.raises(ImageReadError, match=image.name):
        discover_sources(None, _inputs(real_data_dir / "sem_bids", tem))
    plain = tmp_path / "plain"
    plain.mkdir()
    mask = next((real_data_dir / "tem_bids").rglob("*_seg-axonmyelin-manual.png"))
    shutil.copy(mask, plain / "looks_like_an_image.png")
    with pytest.raises(LabelMapAmongImagesError, match="looks_like_an_image.png"):
        discover_sources(None, _inputs(real_data_dir / "sem_bids", plain))


def test_bad_paired_folder_and_auto_without_working_size(real_data_dir: Path, tmp_path: Path) -> None:
    sem, tem = real_data_dir / "sem_bids", real_data_dir / "tem_bids"
    with pytest.raises(ParameterError, match="inputs.paired"):
        discover_sources(None, _inputs(sem, tem, paired=str(tmp_path)))
    with pytest.raises(ValueError, match="auto.*target_pixel_size_um"):
        discover_sources(None, _inputs(sem, tem, working_pixel_size_um=None))
    with pytest.raises(ValueError, match="distinct names"):
        discover_sources(None, _inputs(sem, tem, target={"modality": "sem", "path": str(tem), "scale": 0.1,
                                                         "test_fraction": 0.0, "test_seed": 0,
                                                         "transductive": False, "regions": None}))

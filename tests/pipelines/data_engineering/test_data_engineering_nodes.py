"""data_engineering nodes on the real samples and on phantoms, and their refusals of bad input."""

import shutil
from pathlib import Path

import mlflow
import pytest

from axondeepsynth.imaging.image_io import ImageReadError
from axondeepsynth.imaging.label_detection import LabelMapAmongImagesError
from axondeepsynth.imaging.sources import SourceNotFoundError
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    make_phantoms,
    plan_tiles_to_translate,
    split_syndiff_sources,
)
from axondeepsynth.pipelines.data_engineering.parameters import ParameterError

RATIOS = {"train": 0.8, "val": 0.1, "test": 0.1}


def _params(sem: Path, tem: Path, **extra) -> dict:
    return {
        "to_translate": {"source": str(tem), "scale": 0.25, "tile_size": 128, "modality": "tem", "name": "real"},
        "modalities": [
            {"name": "sem", "sources": [{"path": str(sem), "scale": "auto"}]},
            {"name": "tem", "sources": [{"path": str(tem), "scale": 0.1}]},
        ],
        "target_pixel_size_um": 0.5,
        "split_ratios": RATIOS,
        "seed": 7,
        **extra,
    }


def test_real_samples_split_by_subject_and_log_counts(real_data_dir: Path) -> None:
    params = _params(real_data_dir / "sem_bids", real_data_dir / "tem_bids")
    sources = discover_sources(None, params)
    assert list(sources.images) == ["sem", "tem"] and sources.paired is None
    assert [len(v) for v in sources.images.values()] == [7, 1]
    factors = {item.record.pixel_size_um / 0.5 for item in sources.images["sem"]}
    assert {item.scale_factor for item in sources.images["sem"]} == factors
    with mlflow.start_run() as run:
        train, val, test, paired = split_syndiff_sources(sources, params)
    subjects = [{i.record.subject for i in split.images["sem"]} for split in (train, val, test)]
    assert [len(s) for s in subjects] == [3, 1, 1] and not (subjects[0] & (subjects[1] | subjects[2]))
    assert [len(split.images["tem"]) for split in (train, val, test)] == [1, 1, 1]
    assert val.attrs["shared_with_train"] == ["tem"] and train.attrs["shared_with_train"] == []
    assert paired.images == {}
    metrics = mlflow.get_run(run.info.run_id).data.metrics
    assert metrics["data_engineering.images.train.tem"] == 1
    assert sum(metrics[f"data_engineering.images.{s}.sem"] for s in ("train", "val", "test")) == 7


def test_phantoms_with_paired_renderings(phantom_root: Path, phantom_config) -> None:
    params = _params(phantom_root / "sem_bids", phantom_root / "tem_bids", paired=str(phantom_root / "paired"))
    params["modalities"][1]["sources"][0]["scale"] = "auto"
    sources = discover_sources(None, params)
    n = phantom_config.n_subjects * phantom_config.samples_per_subject
    assert [len(sources.paired[m]) for m in ("sem", "tem")] == [2 * n, 2 * n]
    for sem_item, tem_item in zip(sources.paired["sem"], sources.paired["tem"]):
        assert sem_item().shape == tem_item().shape
        assert sem_item.record.subject == tem_item.record.subject
    *_, paired = split_syndiff_sources(sources, params)
    assert paired.counts() == {"sem": 2 * n, "tem": 2 * n}
    assert make_phantoms(phantom_config.to_dict()).config == phantom_config


def test_tile_plan_on_phantom_nnunet(phantom_root: Path) -> None:
    dataset = next((phantom_root / "nnunet").glob("Dataset*_SEM"))
    params = _params(phantom_root / "sem_bids", phantom_root / "tem_bids")
    params["to_translate"] = {"source": str(dataset), "scale": 1.0, "tile_size": 64, "modality": "sem", "name": "ph"}
    plan = plan_tiles_to_translate(discover_sources(None, params), params)
    assert (plan.filename, plan.tile_size, plan.overlap) == ("ph_sem.hdf5", 64, 16)
    assert len(plan.images) == len(list((dataset / "imagesTr").iterdir())) + len(list((dataset / "imagesTs").iterdir()))
    tiled = plan.images[0]()
    assert tiled.labels is not None and tiled.labels.shape == tiled.image.shape
    assert dataset in plan.source_roots and phantom_root / "sem_bids" in plan.source_roots


def test_missing_source_and_no_images_after_exclusion(real_data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="absent"):
        discover_sources(None, _params(tmp_path / "absent", real_data_dir / "tem_bids"))
    excluded = _params(real_data_dir / "sem_bids", real_data_dir / "tem_bids", exclude_dirs=["derivatives", "micr"])
    with pytest.raises(SourceNotFoundError, match="sem_bids"):
        discover_sources(None, excluded)


def test_truncated_image_and_label_map_are_refused(real_data_dir: Path, tmp_path: Path) -> None:
    tem = tmp_path / "tem_bids"
    shutil.copytree(real_data_dir / "tem_bids", tem)
    image = next(tem.glob("sub-*/micr/*.png"))
    image.write_bytes(image.read_bytes()[:20000])
    with pytest.raises(ImageReadError, match=image.name):
        discover_sources(None, _params(real_data_dir / "sem_bids", tem))
    plain = tmp_path / "plain"
    plain.mkdir()
    mask = next((real_data_dir / "tem_bids").rglob("*_seg-axonmyelin-manual.png"))
    shutil.copy(mask, plain / "looks_like_an_image.png")
    with pytest.raises(LabelMapAmongImagesError, match="looks_like_an_image.png"):
        discover_sources(None, _params(real_data_dir / "sem_bids", plain))
    params = _params(real_data_dir / "sem_bids", real_data_dir / "tem_bids")
    params["to_translate"] = {"source": str(plain), "scale": 1.0, "tile_size": 64, "modality": "x", "name": "y"}
    with pytest.raises(LabelMapAmongImagesError, match="looks_like_an_image.png"):
        discover_sources(None, params)


def test_bad_split_ratios_and_paired_folder(real_data_dir: Path, tmp_path: Path) -> None:
    params = _params(real_data_dir / "sem_bids", real_data_dir / "tem_bids")
    sources = discover_sources(None, params)
    with pytest.raises(ParameterError, match="split_ratios"):
        split_syndiff_sources(sources, {**params, "split_ratios": {"train": 0.5, "val": 0.1, "test": 0.1}})
    with pytest.raises(ParameterError, match="paired"):
        discover_sources(None, {**params, "paired": str(tmp_path)})
    with pytest.raises(ValueError, match="auto.*target_pixel_size_um"):
        discover_sources(None, {**params, "target_pixel_size_um": None})

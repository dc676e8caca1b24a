"""The data_engineering pipeline through Kedro's SequentialRunner on a catalog in tmp_path."""

import shutil
from pathlib import Path

import h5py
import pytest
from kedro.io import DataCatalog, DatasetError, MemoryDataset
from kedro.runner import SequentialRunner

from axondeepsynth.datasets.phantom_dataset import PhantomDataset
from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset
from axondeepsynth.datasets.tile_hdf5_dataset import TileSet, TileSetHDF5Dataset
from axondeepsynth.imaging.image_io import ImageReadError
from axondeepsynth.pipelines.data_engineering import create_pipeline

SPLITS = ("train", "val", "test", "paired")


def _params(phantom_root: Path, phantom_config, **extra) -> dict:
    nnunet = next((phantom_root / "nnunet").glob("Dataset*_SEM"))
    return {
        "phantoms": phantom_config.to_dict(),
        "modalities": [
            {"name": "sem", "sources": [{"path": str(phantom_root / "sem_bids"), "scale": "auto"}]},
            {"name": "tem", "sources": [{"path": str(phantom_root / "tem_bids"), "scale": "auto"}]},
        ],
        "target_pixel_size_um": 0.1,
        "exclude_dirs": ["derivatives", ".git"],
        "split_ratios": {"train": 0.8, "val": 0.1, "test": 0.1},
        "seed": 42,
        "overwrite": False,
        "paired": str(phantom_root / "paired"),
        "to_translate": {"source": str(nnunet), "scale": 1.0, "tile_size": 64, "overlap": 16,
                         "modality": "sem", "name": "phantom"},
        **extra,
    }


def _catalog(phantom_root: Path, out: Path, params: dict, nnunet_dir: Path) -> DataCatalog:
    return DataCatalog(
        {
            "phantoms": PhantomDataset(str(phantom_root)),
            **{f"syndiff_{s}": SynDiffHDF5Dataset(str(out / f"dataset_{s}.hdf5")) for s in SPLITS},
            "tiles_to_translate": TileSetHDF5Dataset(str(out / "to_translate")),
            "params:data_engineering": MemoryDataset(params),
            "params:data_engineering.phantoms": MemoryDataset(params["phantoms"]),
            **_nnunet_export_params(phantom_root, nnunet_dir),
        }
    )


def _nnunet_export_params(phantom_root: Path, nnunet_dir: Path) -> dict[str, MemoryDataset]:
    """The export node's parameters: the phantom SEM BIDS set as nnU-Net raw data beside the outputs."""
    export = {"source_dir": str(phantom_root / "sem_bids"), "modality": "SEM", "test_fraction": 0.25,
              "seed": 0, "target_pixel_size_um": None, "overwrite": False}
    return {
        "params:nnunet_export": MemoryDataset(export),
        "params:nnunet_export.source_dir": MemoryDataset(export["source_dir"]),
        "params:segmentation.nnunet": MemoryDataset(
            {"base_dir": str(nnunet_dir), "dataset_id": 501, "dataset_name": "PHANTOM_SEM", "num_processes": 1}),
    }


def test_pipeline_writes_every_output_then_refuses_to_clobber(tmp_path: Path, phantom_root: Path, phantom_config) -> None:
    params = _params(phantom_root, phantom_config)
    SequentialRunner().run(create_pipeline(), _catalog(phantom_root, tmp_path, params, tmp_path / "nnunet"))
    per_split = {s: SynDiffHDF5Dataset(str(tmp_path / f"dataset_{s}.hdf5")).load() for s in SPLITS}
    n = phantom_config.n_subjects * phantom_config.samples_per_subject
    for modality in ("sem", "tem"):
        counts = [len(per_split[s][modality]) for s in ("train", "val", "test")]
        assert sum(counts) == n and min(counts) >= phantom_config.samples_per_subject
        shapes = {a.shape for s in SPLITS for a in per_split[s][modality]}
        assert shapes == {phantom_config.image_shape(0.1)}
    assert len(per_split["paired"]["sem"]) == len(per_split["paired"]["tem"]) == 2 * n
    with h5py.File(tmp_path / "dataset_train.hdf5", "r") as file:
        subjects_train = {file["sem"][k].attrs["subject"] for k in file["sem"]}
    with h5py.File(tmp_path / "dataset_test.hdf5", "r") as file:
        subjects_test = {file["sem"][k].attrs["subject"] for k in file["sem"]}
    assert not subjects_train & subjects_test
    tiles = TileSetHDF5Dataset(str(tmp_path / "to_translate")).load()
    assert isinstance(tiles, TileSet) and tiles.filepath.name == "phantom_sem.hdf5" and tiles.num_tiles > 0

    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.hdf5")}
    with pytest.raises(DatasetError, match="overwrite"):
        SequentialRunner().run(create_pipeline(), _catalog(phantom_root, tmp_path, params, tmp_path / "nnunet"))
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.hdf5")} == before
    rerun = _params(phantom_root, phantom_config, overwrite=True, seed=3)
    SequentialRunner().run(create_pipeline(), _catalog(phantom_root, tmp_path, rerun, tmp_path / "nnunet"))
    assert sorted(p.name for p in tmp_path.rglob("*.hdf5")) == sorted(before_path.name for before_path in before)
    exported = tmp_path / "nnunet" / "nnUNet_raw" / "Dataset501_PHANTOM_SEM"
    assert (exported / "dataset.json").is_file() and any((exported / "imagesTs").iterdir())


def test_bad_input_writes_nothing(tmp_path: Path, phantom_root: Path, phantom_config, real_data_dir: Path) -> None:
    tem = tmp_path / "inputs" / "tem_bids"
    shutil.copytree(real_data_dir / "tem_bids", tem)
    image = next(tem.glob("sub-*/micr/*.png"))
    image.write_bytes(image.read_bytes()[:30000])
    params = _params(phantom_root, phantom_config)
    params["modalities"][1]["sources"] = [{"path": str(tem), "scale": 0.1}]
    out = tmp_path / "out"
    with pytest.raises(ImageReadError, match=image.name):
        SequentialRunner().run(create_pipeline(), _catalog(phantom_root, out, params, tmp_path / "nnunet"))
    assert not out.exists() or not any(out.rglob("*.hdf5"))
    shutil.copy(real_data_dir / "tem_bids" / image.relative_to(tem), image)
    inside = tem / "derivatives" / "syndiff"
    with pytest.raises(DatasetError, match="would overwrite the input dataset"):
        SequentialRunner().run(create_pipeline(), _catalog(phantom_root, inside, params, tmp_path / "nnunet"))
    assert not inside.exists()

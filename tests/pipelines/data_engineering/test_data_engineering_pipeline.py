"""The data_engineering pipeline through Kedro's SequentialRunner on a catalog in tmp_path."""

import shutil
from pathlib import Path

import h5py
import pytest
from kedro.io import DataCatalog, DatasetError, MemoryDataset
from kedro.runner import SequentialRunner

from axondeepsynth.artifacts.tile_set import TileSet
from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.datasets.phantom_dataset import PhantomDataset
from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset
from axondeepsynth.datasets.tile_hdf5_dataset import TileSetHDF5Dataset
from axondeepsynth.imaging.image_io import ImageReadError
from axondeepsynth.pipelines.data_engineering import create_pipeline

SPLITS = ("train", "val", "test", "paired")


@pytest.fixture
def catalog_for(phantom_root: Path, add_parameters):
    return lambda out, params: add_parameters(_catalog(phantom_root, out), params)


def _catalog(phantom_root: Path, out: Path) -> DataCatalog:
    return DataCatalog({
        "phantoms": PhantomDataset(str(phantom_root)),
        **{f"syndiff_{s}": SynDiffHDF5Dataset(str(out / f"dataset_{s}.hdf5")) for s in SPLITS},
        "data_engineering_metrics": MemoryDataset(),
        "tiles_to_translate": TileSetHDF5Dataset(str(out / "tiles.hdf5")),
        "source_nnunet_raw": NnUNetRawDataset(str(out / "nnunet"), 501, "SOURCE"),
        "target_nnunet_raw": NnUNetRawDataset(str(out / "nnunet"), 512, "TARGET"),
    })


def test_pipeline_writes_every_output_then_refuses_to_clobber(tmp_path: Path, phantom_config, inputs_of,
                                                               shipped_parameters, catalog_for) -> None:
    params = shipped_parameters(inputs=inputs_of())
    SequentialRunner().run(create_pipeline(), catalog_for(tmp_path, params))
    per_split = {s: SynDiffHDF5Dataset(str(tmp_path / f"dataset_{s}.hdf5")).load() for s in SPLITS}
    n = phantom_config.n_subjects * phantom_config.samples_per_subject
    target = NnUNetRawDataset(str(tmp_path / "nnunet"), 512, "TARGET").load()
    held_out = sum(1 for _ in target.test_images_dir.iterdir())  # the target test subjects' images
    # 2 target subjects left for 3 splits: split by image
    for modality, expected, least in (("sem", n, phantom_config.samples_per_subject), ("tem", n - held_out, 1)):
        counts = [len(per_split[s][modality]) for s in ("train", "val", "test")]
        assert sum(counts) == expected and min(counts) >= least
        shapes = {a.shape for s in SPLITS for a in per_split[s][modality]}
        assert shapes == {phantom_config.image_shape(0.1)}
    assert list(per_split["train"]) == ["sem", "tem"], "the source modality is contrast1"
    assert len(per_split["paired"]["sem"]) == len(per_split["paired"]["tem"]) < 2 * n, "no test subject's pairs"
    with h5py.File(tmp_path / "dataset_train.hdf5", "r") as file:
        subjects_train = {file["sem"][k].attrs["subject"] for k in file["sem"]}
    with h5py.File(tmp_path / "dataset_test.hdf5", "r") as file:
        subjects_test = {file["sem"][k].attrs["subject"] for k in file["sem"]}
    assert not subjects_train & subjects_test
    tiles = TileSetHDF5Dataset(str(tmp_path / "tiles.hdf5")).load()
    assert isinstance(tiles, TileSet) and tiles.modality == "sem" and len(tiles) == n and tiles.num_tiles > 0
    source = NnUNetRawDataset(str(tmp_path / "nnunet"), 501, "SOURCE").load()
    assert source.path.name == "Dataset501_SOURCE" and any(source.test_images_dir.iterdir())
    assert target.dataset_json["axondeepsynth"]["pixel_size_um"] == pytest.approx(0.1), "target at the working size"

    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.hdf5")}
    with pytest.raises(DatasetError, match="overwrite"):
        SequentialRunner().run(create_pipeline(), catalog_for(tmp_path, params))
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.hdf5")} == before
    rerun = shipped_parameters(inputs=inputs_of(), data_engineering={"overwrite": True, "seed": 3},
                               nnunet_export={"overwrite": True})
    SequentialRunner().run(create_pipeline(), catalog_for(tmp_path, rerun))
    assert sorted(p.name for p in tmp_path.rglob("*.hdf5")) == sorted(path.name for path in before)


def test_bad_input_writes_nothing(tmp_path: Path, real_data_dir: Path, inputs_of, shipped_parameters,
                                  catalog_for) -> None:
    tem = tmp_path / "inputs" / "tem_bids"
    shutil.copytree(real_data_dir / "tem_bids", tem)
    image = next(tem.glob("sub-*/micr/*.png"))
    image.write_bytes(image.read_bytes()[:30000])
    params = shipped_parameters(inputs=inputs_of(target={"path": str(tem), "scale": 0.1}, paired=None))
    out = tmp_path / "out"
    with pytest.raises(ImageReadError, match=image.name):
        SequentialRunner().run(create_pipeline(), catalog_for(out, params))
    assert not out.exists() or not any(out.rglob("*.hdf5"))
    shutil.copy(real_data_dir / "tem_bids" / image.relative_to(tem), image)
    inside = tem / "derivatives" / "syndiff"
    with pytest.raises(DatasetError, match="input"):
        SequentialRunner().run(create_pipeline(), catalog_for(inside, params))
    assert not inside.exists() or not any(inside.rglob("*.hdf5"))

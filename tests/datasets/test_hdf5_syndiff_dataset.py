"""SynDiffHDF5Dataset writes the seed layout atomically, streams, and refuses to clobber data."""

import math
from pathlib import Path

import h5py
import numpy as np
import pytest
from kedro.io import DatasetError

from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset, SynDiffSplit
from axondeepsynth.errors import OutputOverlapsInputError
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images


@pytest.fixture(scope="module")
def sources(real_data_dir: Path) -> dict[str, list[ScaledImageSource]]:
    sem = discover_images(real_data_dir / "sem_bids", modality="sem")[:3]
    tem = discover_images(real_data_dir / "tem_bids", modality="tem")
    return {"tem": [ScaledImageSource(r, 0.05) for r in tem], "sem": [ScaledImageSource(r, 0.2) for r in sem]}


def test_round_trip_keeps_order_layout_and_attrs(tmp_path: Path, sources) -> None:
    path = tmp_path / "dataset_train.hdf5"
    dataset = SynDiffHDF5Dataset(str(path))
    assert not dataset.exists()
    dataset.save(SynDiffSplit(sources, attrs={"split": "train"}))
    assert dataset.exists() and [p.name for p in tmp_path.iterdir()] == [path.name]
    loaded = dataset.load()
    assert list(loaded) == ["tem", "sem"]
    for modality, items in sources.items():
        assert len(loaded[modality]) == len(items)
        for array, item in zip(loaded[modality], items):
            assert array.dtype == np.uint8
            np.testing.assert_array_equal(array, item())
    with h5py.File(path, "r") as file:
        assert sorted(file["sem"].keys()) == ["0", "1", "2"] and file.attrs["split"] == "train"
        attrs = file["sem"]["1"].attrs
        record = sources["sem"][1].record
        assert attrs["source_path"] == str(record.path) and attrs["subject"] == record.subject
        assert attrs["scale_factor"] == 0.2
        assert attrs["pixel_size_um"] == pytest.approx(record.pixel_size_um / 0.2)


def test_plain_mapping_of_generators_streams(tmp_path: Path, real_data_dir: Path) -> None:
    paths = sorted((real_data_dir / "sem_bids").glob("sub-rat3/micr/*.png"))
    calls: list[Path] = []

    def lazy(path: Path):
        calls.append(path)
        return read_grayscale(path)[:64, :80]

    stream = {"a": (lazy(p) for p in paths), "b": iter([read_grayscale(paths[0])[:32, :32]])}
    SynDiffHDF5Dataset(str(tmp_path / "s.hdf5")).save(stream)
    assert calls == paths
    loaded = SynDiffHDF5Dataset(str(tmp_path / "s.hdf5")).load()
    assert [a.shape for a in loaded["a"]] == [(64, 80)] * 3 and loaded["b"][0].shape == (32, 32)
    with h5py.File(tmp_path / "s.hdf5", "r") as file:
        assert math.isnan(file["a"]["0"].attrs.get("pixel_size_um", math.nan))


def test_failure_midway_leaves_nothing(tmp_path: Path, sources) -> None:
    def broken():
        raise OSError("disk pulled")

    path = tmp_path / "out.hdf5"
    with pytest.raises(DatasetError, match="disk pulled"):
        SynDiffHDF5Dataset(str(path)).save({"sem": [sources["sem"][0], broken]})
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DatasetError, match="2-D uint8"):
        SynDiffHDF5Dataset(str(path)).save({"sem": [np.zeros((4, 4), np.float32)]})
    assert list(tmp_path.iterdir()) == []


def test_existing_output_needs_overwrite(tmp_path: Path, sources) -> None:
    path = tmp_path / "dataset_val.hdf5"
    first = {"sem": sources["sem"][:1]}
    SynDiffHDF5Dataset(str(path)).save(first)
    with pytest.raises(DatasetError, match="overwrite") as error:
        SynDiffHDF5Dataset(str(path)).save({"sem": sources["sem"][1:2]})
    assert isinstance(error.value.__cause__, FileExistsError)
    np.testing.assert_array_equal(SynDiffHDF5Dataset(str(path)).load()["sem"][0], sources["sem"][0]())
    SynDiffHDF5Dataset(str(path)).save(SynDiffSplit({"sem": sources["sem"][1:2]}, overwrite=True))
    np.testing.assert_array_equal(SynDiffHDF5Dataset(str(path)).load()["sem"][0], sources["sem"][1]())
    SynDiffHDF5Dataset(str(path), overwrite=True).save(first)
    np.testing.assert_array_equal(SynDiffHDF5Dataset(str(path)).load()["sem"][0], sources["sem"][0]())


def test_output_inside_input_and_empty_split(tmp_path: Path, sources) -> None:
    root = tmp_path / "bids"
    root.mkdir()
    inside = SynDiffHDF5Dataset(str(root / "derivatives" / "d.hdf5"))
    with pytest.raises(DatasetError, match="would overwrite the input dataset") as error:
        inside.save(SynDiffSplit({"sem": sources["sem"][:1]}, source_roots=(root,)))
    assert isinstance(error.value.__cause__, OutputOverlapsInputError)
    assert not (root / "derivatives").exists()
    empty = SynDiffHDF5Dataset(str(tmp_path / "paired.hdf5"))
    empty.save(SynDiffSplit({}))
    assert not empty.exists()

"""TileSetHDF5Dataset writes the tile layout and loads a lazy TileSet that reproduces the tiles."""

from pathlib import Path

import h5py
import numpy as np
import pytest
from kedro.io import DatasetError

from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSet, TileSetHDF5Dataset
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource


@pytest.fixture(scope="module")
def plan(real_data_dir: Path) -> TilePlan:
    tem = discover_images(real_data_dir / "tem_bids", modality="tem")
    sem = discover_images(real_data_dir / "sem_bids", modality="tem", exclude_dirs=("derivatives",))[:1]
    unlabelled = [TiledImageSource(type(r)(r.path, r.modality, r.subject, r.sample), 0.05, 128, 32) for r in sem]
    sources = [TiledImageSource(r, 0.2, 128, 32) for r in tem] + unlabelled
    return TilePlan(name="real", modality="tem", tile_size=128, overlap=32, images=sources)


def test_folder_round_trip_layout_and_lazy_tiles(tmp_path: Path, plan: TilePlan) -> None:
    dataset = TileSetHDF5Dataset(str(tmp_path / "to_translate"))
    assert not dataset.exists()
    dataset.save(plan)
    path = tmp_path / "to_translate" / "real_tem.hdf5"
    assert dataset.exists() and sorted(p.name for p in path.parent.iterdir()) == ["real_tem.hdf5"]
    tile_set = TileSetHDF5Dataset(str(tmp_path / "to_translate")).load()
    assert isinstance(tile_set, TileSet) and len(tile_set) == 2
    assert (tile_set.modality, tile_set.tile_size, tile_set.overlap) == ("tem", 128, 32)
    expected = [source() for source in plan.images]
    for image, tiled in zip(tile_set, expected):
        assert image.info == tiled.info
        stored = list(image.tiles())
        fresh = list(tiled.tiles())
        assert len(stored) == len(fresh) == image.tile_count
        for got, want in zip(stored, fresh):
            assert got.location == want.location
            np.testing.assert_array_equal(got.image, want.image)
            if want.labels is None:
                assert got.labels is None
            else:
                np.testing.assert_array_equal(got.labels, want.labels)
    assert tile_set[1].has_labels is False and tile_set.num_tiles == sum(i.tile_count for i in tile_set)
    with h5py.File(path, "r") as file:
        assert dict(file.attrs) == {"modality": "tem", "tile_size": 128, "overlap": 32, "name": "real"}
        tile = file["tem"]["images"]["0"]
        assert list(tile.attrs["location"]) == [0, 0] and tile.attrs["image_index"] == 0
        assert tile.attrs["path_to_original"] == tile_set[0].info.path
        assert len(file["tem"]["labels"]) == tile_set[0].tile_count
        original = file["tem"]["originals"]["1"]
        assert list(original.attrs["scaled_shape"]) == [46, 64] and list(original.attrs["padding"]) == [82, 64]
        assert original.attrs["label_path"] == "" and original.shape is None


def test_file_path_refuses_existing_and_inside_input(tmp_path: Path, plan: TilePlan, real_data_dir: Path) -> None:
    path = tmp_path / "custom.hdf5"
    TileSetHDF5Dataset(str(path)).save(plan)
    with pytest.raises(DatasetError, match="overwrite"):
        TileSetHDF5Dataset(str(path)).save(plan)
    TileSetHDF5Dataset(str(path), overwrite=True).save(plan)
    inside = TilePlan(**{**plan.__dict__, "source_roots": (tmp_path,)})
    with pytest.raises(DatasetError, match="would overwrite the input dataset"):
        TileSetHDF5Dataset(str(tmp_path / "sub" / "x.hdf5")).save(inside)
    assert not (tmp_path / "sub").exists()


def test_ambiguous_folder_load_names_candidates(tmp_path: Path, plan: TilePlan) -> None:
    TileSetHDF5Dataset(str(tmp_path)).save(plan)
    TileSetHDF5Dataset(str(tmp_path)).save(TilePlan(**{**plan.__dict__, "name": "other"}))
    with pytest.raises(DatasetError, match="other_tem.hdf5.*real_tem.hdf5|real_tem.hdf5.*other_tem.hdf5"):
        TileSetHDF5Dataset(str(tmp_path)).load()
    assert len(TileSetHDF5Dataset(str(tmp_path / "real_tem.hdf5")).load()) == 2

"""A truncated checkpoint, resume state or HDF5 set raises the project's CorruptFileError naming the
file and the pipeline to re-run, instead of torch's "PytorchStreamReader failed" or h5py's
"truncated file"; the damaged file itself is left as it was (the user may want to inspect it)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from kedro.io import DatasetError

from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset, SynDiffSplit
from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSet, TileSetHDF5Dataset
from axondeepsynth.errors import CorruptFileError
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint
from reliability_helpers import checksums


def _truncate(path: Path) -> dict[str, str]:
    """Cut ``path`` to half its size, as a kill or a full disk would; returns its new checksum."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return checksums(path)


def test_truncated_generator_checkpoint_names_itself(tmp_path: Path) -> None:
    store = write_untrained_checkpoint(tmp_path, "exp", ("sem", "tem"))
    damaged = store.generator_path("exp", "gen_diffusive_1", 1)
    after = _truncate(damaged)
    with pytest.raises(CorruptFileError, match=rf"SynDiff generator checkpoint '{damaged}' cannot be read, it is "
                                               r"truncated or corrupt \(PytorchStreamReader.*syndiff_training"):
        store.load_diffusive_generator("exp", "latest", 1)
    assert checksums(damaged) == after


def test_truncated_resume_state_names_itself(tmp_path: Path) -> None:
    store = write_untrained_checkpoint(tmp_path, "exp", ("sem", "tem"))
    generator, _, _ = store.load_diffusive_generator("exp", 1, 1)
    path = store.save_resume_state("exp", {"epoch": 1, "gen_diffusive_1": generator.state_dict(),
                                           "rng": torch.get_rng_state()})
    after = _truncate(path)
    with pytest.raises(CorruptFileError, match=rf"SynDiff resume state '{path}'.*syndiff_training.resume=false"):
        store.load_resume_state("exp")
    assert checksums(path) == after


def test_truncated_syndiff_set_names_itself(tmp_path: Path, phantom_root: Path) -> None:
    images = {m: [ScaledImageSource(r, 1.0) for r in discover_images(phantom_root / f"{m}_bids", modality=m)[:2]]
              for m in ("sem", "tem")}
    path = tmp_path / "dataset_train.hdf5"
    SynDiffHDF5Dataset(str(path)).save(SynDiffSplit(images))
    after = _truncate(path)
    with pytest.raises(DatasetError, match=rf"SynDiff HDF5 set '{path}'.*truncated.*--pipeline data_engineering") as error:
        SynDiffHDF5Dataset(str(path)).load()  # Kedro wraps a load error, keeping its message
    assert isinstance(error.value.__cause__, CorruptFileError)
    assert checksums(path) == after


def test_truncated_tile_set_names_itself(tmp_path: Path, phantom_root: Path) -> None:
    records = discover_images(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", modality="sem")[:2]
    plan = TilePlan(name="phantom", modality="sem", tile_size=64, overlap=16,
                    images=[TiledImageSource(r, 1.0, 64, 16) for r in records])
    TileSetHDF5Dataset(str(tmp_path)).save(plan)
    path = tmp_path / plan.filename
    after = _truncate(path)
    with pytest.raises(CorruptFileError, match=rf"Tile set '{path}'.*truncated.*--pipeline data_engineering"):
        TileSet(path)
    assert checksums(path) == after

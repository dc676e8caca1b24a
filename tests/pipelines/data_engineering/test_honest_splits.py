"""The target test subjects every arm is scored on never reach SynDiff's or the oracle's training,
unless the run is transductive (the data_engineering pipeline on the phantoms, files read back)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import h5py
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.datasets.phantom_dataset import PhantomDataset
from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset
from axondeepsynth.datasets.tile_hdf5_dataset import TileSetHDF5Dataset
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.pipelines.data_engineering import create_pipeline
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    split_syndiff_sources,
)

SYNDIFF_SPLITS = ("train", "val", "test")


def _run(phantom_root: Path, out: Path, params: dict, add_parameters) -> None:
    catalog = DataCatalog({
        "phantoms": PhantomDataset(str(phantom_root)),
        **{f"syndiff_{s}": SynDiffHDF5Dataset(str(out / f"dataset_{s}.hdf5")) for s in (*SYNDIFF_SPLITS, "paired")},
        "data_engineering_metrics": MemoryDataset(),
        "tiles_to_translate": TileSetHDF5Dataset(str(out / "tiles.hdf5")),
        "source_nnunet_raw": NnUNetRawDataset(str(out / "nnunet"), 501, "SOURCE"),
        "target_nnunet_raw": NnUNetRawDataset(str(out / "nnunet"), 512, "TARGET"),
    })
    SequentialRunner().run(create_pipeline(), add_parameters(catalog, params))


def _syndiff_target_images(out: Path) -> set[tuple[str, str]]:
    """(subject, source_path) of every target image in dataset_{train,val,test}.hdf5."""
    found = set()
    for split in SYNDIFF_SPLITS:
        with h5py.File(out / f"dataset_{split}.hdf5", "r") as h5:
            found |= {(h5["tem"][k].attrs["subject"], h5["tem"][k].attrs["source_path"]) for k in h5["tem"]}
    return found


def _target_cases(out: Path) -> dict[str, dict]:
    return NnUNetRawDataset(str(out / "nnunet"), 512, "TARGET").load().dataset_json["axondeepsynth"]["cases"]


@pytest.mark.parametrize("transductive", [False, True])
def test_target_test_subjects_stay_out_of_syndiff_and_oracle_training(
        transductive, phantom_root, tmp_path, inputs_of, shipped_parameters, add_parameters):
    # 3 target subjects, ratios 0.8/0.1/0.1: every subject lands in some SynDiff split, so the
    # subject the export holds out (test_fraction 0.34) always collided before the draw was shared.
    inputs = inputs_of(target={"test_fraction": 0.34, "test_seed": 5, "transductive": transductive})
    params = shipped_parameters(inputs=inputs, data_engineering={"seed": 1})
    _run(phantom_root, tmp_path, params, add_parameters)

    cases = _target_cases(tmp_path)
    test_subjects = {c["subject"] for c in cases.values() if c["split"] == "test"}
    test_images = {c["source_image"] for c in cases.values() if c["split"] == "test"}
    trained_subjects = {c["subject"] for c in cases.values() if c["split"] == "train"}
    assert len(test_subjects) == 1 and not test_subjects & trained_subjects, "the oracle trains on imagesTr only"

    syndiff = _syndiff_target_images(tmp_path)
    seen_subjects, seen_images = {s for s, _ in syndiff}, {p for _, p in syndiff}
    assert trained_subjects <= seen_subjects
    if transductive:
        assert test_subjects <= seen_subjects and test_images <= seen_images
    else:
        assert not test_subjects & seen_subjects and not test_images & seen_images
    with h5py.File(tmp_path / "dataset_paired.hdf5", "r") as h5:
        paired_subjects = {h5["tem"][k].attrs["subject"] for k in h5["tem"]}
    assert bool(test_subjects & paired_subjects) == transductive


def test_holding_out_every_target_image_is_refused_with_the_fix(real_data_dir, shipped_parameters):
    """The one real TEM image is one subject: it cannot be both held out and trained on."""
    params = shipped_parameters(inputs={
        "generate_phantoms": False,
        "source": {"modality": "sem", "path": str(real_data_dir / "sem_bids"), "scale": 0.25},
        "target": {"modality": "tem", "path": str(real_data_dir / "tem_bids"), "scale": 0.1, "test_fraction": 0.5,
                   "test_seed": 0, "transductive": False, "regions": None},
        "paired": None, "working_pixel_size_um": None, "exclude_dirs": ["derivatives"]})
    sources = discover_sources(None, InputsParams.model_validate(params["inputs"]))
    assert sources.target_test_subjects == frozenset() and not sources.transductive, "a lone subject trains"
    single = replace(sources, target_test_subjects=frozenset({"sub-mouse1"}))
    with pytest.raises(ParameterError, match="inputs.target.regions"):
        split_syndiff_sources(single, DataEngineeringParams.model_validate(params["data_engineering"]))

"""PhantomDataset in a Kedro catalog: writes once, reuses an identical tree, protects other data."""

from __future__ import annotations

from pathlib import Path

import pytest
from kedro.io import DataCatalog, DatasetError

from axondeepsynth.artifacts.phantoms import PhantomsNotGenerated
from axondeepsynth.datasets.phantom_dataset import PhantomDataset
from axondeepsynth.phantoms import PhantomConfig, generate_phantoms

TINY = {"n_subjects": 2, "samples_per_subject": 1, "field_of_view_um": 6.4, "pixel_size_um": {"tem": 0.05}}


def _catalog(path: Path, overwrite: bool = False) -> DataCatalog:
    entry = {"type": "axondeepsynth.datasets.phantom_dataset.PhantomDataset", "path": str(path), "overwrite": overwrite}
    return DataCatalog.from_config({"phantoms": entry})


def test_save_then_load_returns_manifest_and_identical_config_is_reused(tmp_path: Path) -> None:
    config = PhantomConfig.from_params(TINY)
    catalog = _catalog(tmp_path / "phantoms")
    catalog.save("phantoms", generate_phantoms(config))
    manifest = catalog.load("phantoms")
    assert manifest.config == config
    assert manifest.bids["sem"].is_dir()
    written = (manifest.root / "phantom_manifest.json").stat().st_mtime_ns
    catalog.save("phantoms", generate_phantoms(config))
    assert (manifest.root / "phantom_manifest.json").stat().st_mtime_ns == written
    assert [p.name for p in tmp_path.iterdir()] == ["phantoms"], "no temp folder may be left behind"


def test_other_config_or_foreign_data_needs_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "phantoms"
    _catalog(path).save("phantoms", generate_phantoms(PhantomConfig.from_params(TINY)))
    changed = PhantomConfig.from_params({**TINY, "seed": 1})
    with pytest.raises(DatasetError, match="another config"):
        _catalog(path).save("phantoms", generate_phantoms(changed))
    _catalog(path, overwrite=True).save("phantoms", generate_phantoms(changed))
    assert _catalog(path).load("phantoms").config == changed

    foreign = tmp_path / "user_data"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(DatasetError, match="not a phantom tree"):
        _catalog(foreign).save("phantoms", generate_phantoms(changed))
    assert (foreign / "notes.txt").read_text() == "mine"


def test_load_without_tree_says_none_was_generated(tmp_path: Path) -> None:
    """No tree (user data, inputs.generate_phantoms false): the ordering edge carries a record saying so."""
    dataset = PhantomDataset(path=str(tmp_path / "missing"))
    assert not dataset.exists()
    record = dataset.load()
    assert isinstance(record, PhantomsNotGenerated) and str(tmp_path / "missing") in record.reason
    dataset.save(PhantomsNotGenerated("inputs.generate_phantoms is false"))
    assert not (tmp_path / "missing").exists()

"""The real TEM (one 2000x999 image of one subject) cut into left and right halves that act as
subjects: written as a BIDS tree with the sidecar pixel size and the label map cut alike, then
discovered, split and exported so that SynDiff and the oracle train on one half and the arms
are scored on the other."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from kedro.io import DatasetError

from axondeepsynth.artifacts.target_regions import RegionsNotCut
from axondeepsynth.datasets.target_regions_dataset import TargetRegionsDataset
from axondeepsynth.imaging.image_io import read_label_map, read_raw_pixels
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import (
    export_target_dataset,
)
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    split_syndiff_sources,
)
from axondeepsynth.pipelines.data_engineering.target_regions import cut_target_regions

TEM_PIXEL_UM = 0.00236


def _inputs(real: Path, regions: dict | None, test_fraction: float = 0.5) -> InputsParams:
    return InputsParams.model_validate({
        "generate_phantoms": False,
        "source": {"modality": "sem", "path": str(real / "sem_bids"), "scale": 0.2},
        "target": {"modality": "tem", "path": str(real / "tem_bids"), "scale": 0.15, "test_fraction": test_fraction,
                   "test_seed": 0, "transductive": False, "regions": regions},
        "paired": None, "working_pixel_size_um": None, "exclude_dirs": ["derivatives", ".git"]})


def test_tem_halves_are_written_with_pixel_size_and_labels_cut_alike(real_data_dir, tmp_path):
    inputs = _inputs(real_data_dir, {"rows": 1, "cols": 2})
    dataset = TargetRegionsDataset(str(tmp_path / "regions"))
    dataset.save(cut_target_regions(None, inputs))
    tree = dataset.load()
    assert tree.path == tmp_path / "regions" and tree.matches(inputs.target.path, 1, 2)

    (original,) = discover_images(real_data_dir / "tem_bids", modality="tem")
    pixels, labels = read_raw_pixels(original.path), read_label_map(original.label_path)
    regions = discover_images(tree.path, modality="tem")
    assert [r.subject for r in regions] == ["sub-mouse1r0c0", "sub-mouse1r0c1"]
    for record, columns in zip(regions, (slice(0, 1000), slice(1000, 2000))):
        assert record.pixel_size_um == pytest.approx(TEM_PIXEL_UM), "the sidecar's pixel size goes with the region"
        np.testing.assert_array_equal(read_raw_pixels(record.path), pixels[:, columns])
        np.testing.assert_array_equal(read_label_map(record.label_path), labels[:, columns])
    plan = json.loads((tree.path / "regions.json").read_text())
    assert [r["box_top_bottom_left_right"] for r in plan["regions"]] == [[0, 999, 0, 1000], [0, 999, 1000, 2000]]

    written = {p: p.stat().st_mtime_ns for p in tree.path.rglob("*") if p.is_file()}
    dataset.save(cut_target_regions(None, inputs))
    assert {p: p.stat().st_mtime_ns for p in tree.path.rglob("*") if p.is_file()} == written, "same plan: kept"


def test_one_half_trains_the_other_is_scored(real_data_dir, tmp_path, shipped_parameters):
    inputs = _inputs(real_data_dir, {"rows": 1, "cols": 2})
    dataset = TargetRegionsDataset(str(tmp_path / "regions"))
    dataset.save(cut_target_regions(None, inputs))
    sources = discover_sources(None, inputs, dataset.load())

    (test_subject,) = sources.target_test_subjects
    train, val, test, *_ = split_syndiff_sources(
        sources, DataEngineeringParams.model_validate(shipped_parameters()["data_engineering"]))
    syndiff_subjects = {item.record.subject for split in (train, val, test) for item in split.images["tem"]}
    assert syndiff_subjects == {"sub-mouse1r0c0", "sub-mouse1r0c1"} - {test_subject}

    export = export_target_dataset(sources, inputs, NnUNetExportParams.model_validate(
        shipped_parameters()["nnunet_export"]))
    expected = {s: s == test_subject for s in syndiff_subjects | {test_subject}}
    assert {c.subject: c.test for c in export.cases} == expected
    assert [c.exported_pixel_size_um for c in export.cases] == pytest.approx([TEM_PIXEL_UM / 0.15] * 2), \
        "exported at the target's working pixel size (its SynDiff scale)"


def test_without_regions_nothing_is_written_and_a_missing_tree_is_named(real_data_dir, tmp_path):
    dataset = TargetRegionsDataset(str(tmp_path / "regions"))
    plan = cut_target_regions(None, _inputs(real_data_dir, None))
    assert isinstance(plan, RegionsNotCut)
    dataset.save(plan)
    assert not (tmp_path / "regions").exists() and dataset.load().path is None
    sources = discover_sources(None, _inputs(real_data_dir, None), dataset.load())
    assert [item.record.path.parent.parent.parent for item in sources.images["tem"]] == [real_data_dir / "tem_bids"]
    with pytest.raises(ParameterError, match="cut_target_regions"):
        discover_sources(None, _inputs(real_data_dir, {"rows": 2, "cols": 2}), dataset.load())


def test_a_folder_the_project_did_not_write_is_not_replaced(real_data_dir, tmp_path):
    mine = tmp_path / "regions"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    with pytest.raises(DatasetError, match="not written by axondeepsynth"):
        TargetRegionsDataset(str(mine)).save(cut_target_regions(None, _inputs(real_data_dir, {"rows": 1, "cols": 2})))
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_a_grid_finer_than_the_image_is_refused(real_data_dir):
    with pytest.raises(ParameterError, match="inputs.target.regions"):
        cut_target_regions(None, _inputs(real_data_dir, {"rows": 1000, "cols": 3000}))

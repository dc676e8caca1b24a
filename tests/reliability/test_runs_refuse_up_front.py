"""Faulty ``kedro run``s against the real pipelines: each is refused before its first node (or, for
checks that need the images, before anything is written), with a message naming the parameter,
catalog entry or file, and every file under ``data/`` is byte-for-byte unchanged.

The project is a copy of one where ``kedro run --pipeline data_engineering`` ran on small phantoms
(``engineered_project``), so the inputs that a wrong run could destroy really exist.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import mlflow
import pytest
import yaml
from kedro.framework.session import KedroSession
from kedro.validation.exceptions import ParameterValidationError
from reliability_helpers import checksums

from axondeepsynth.errors import MissingRunInputError, NnUNetIdClashError, OutputOverlapsInputError, UnownedOutputError
from axondeepsynth.imaging.image_checks import ImageTooSmallError
from axondeepsynth.imaging.image_io import ImageReadError
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.pipelines.segmentation.segmentation_cases import NoImagesToSegmentError


def _run(project: Path, pipeline: str, params: dict[str, Any] | None = None, tags: list[str] | None = None) -> None:
    with KedroSession.create(project_path=project, env="test", runtime_params=params) as session:
        session.run(pipeline_names=[pipeline], tags=tags)


def _catalog_override(project: Path, entries: dict[str, Any]) -> None:
    """Redirect catalog entries the way a user would, in the environment the runs use."""
    (project / "conf" / "test" / "catalog.yml").write_text(yaml.safe_dump(entries))


def test_tutorship_with_the_source_dataset_id_refuses_before_anything(project: Path) -> None:
    """Issue 15's first destructive run: tutorship dataset id = the labelled source dataset's id."""
    _catalog_override(project, {"tutorship.nnunet_raw": {
        "type": "axondeepsynth.datasets.nnunet_raw_dataset.NnUNetRawDataset",
        "nnunet_dir": "data/06_models/nnunet", "dataset_id": 501, "dataset_name": "TUTORSHIP"}})
    before = checksums(project / "data")
    with pytest.raises(NnUNetIdClashError, match=r"'tutorship\.nnunet_raw' would write nnU-Net dataset "
                                                 r"'.*Dataset501_TUTORSHIP' with id 501, the id of "
                                                 r"'.*Dataset501_SOURCE' \(catalog entry 'source_nnunet_raw'\)"):
        _run(project, "translation", {"translation": {"overwrite": True}})
    assert checksums(project / "data") == before
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])  # refused before kedro-mlflow opened a run
    assert mlflow.search_runs(experiment_names=["axondeepsynth-tests"], output_format="list",
                              filter_string="attributes.status = 'RUNNING'") == []


@pytest.mark.parametrize("path, message", [
    # Issue 15's second destructive run: the adaptation output is the folder it translates.
    ("data/06_models/nnunet/nnUNet_raw/Dataset512_TARGET/imagesTs",
     r"adaptation\.translated_images.*Dataset512_TARGET/imagesTs' would overwrite the input catalog entry "
     r"'target_nnunet_raw'"),
    ("data/01_raw/phantoms/tem_bids", r"phantoms/tem_bids' would overwrite the input catalog entry 'phantoms'"),
])
def test_adaptation_into_its_source_refuses_before_anything(project: Path, path: str, message: str) -> None:
    _catalog_override(project, {"adaptation.translated_images": {
        "type": "axondeepsynth.datasets.translated_images_dataset.TranslatedImagesDataset", "path": path}})
    before = checksums(project / "data")
    with pytest.raises(OutputOverlapsInputError, match=message):
        _run(project, "translation", {"translation": {"overwrite": True}})
    assert checksums(project / "data") == before


@pytest.mark.parametrize("pipeline, tags, entry, writer", [
    ("translation", None, "syndiff_model", "syndiff_training"),
    ("segmentation", ["inference"], r"segmentation\.nnunet_(plan|fold_\d)", "segmentation"),
])
def test_reading_what_no_run_wrote_yet_names_the_pipeline_to_run(project: Path, pipeline, tags, entry, writer) -> None:
    before = checksums(project / "data")
    with pytest.raises(MissingRunInputError, match=rf"catalog entry '{entry}'.*does not exist yet; run "
                                                   rf"`kedro run --pipeline {writer}` first"):
        _run(project, pipeline, tags=tags)
    assert checksums(project / "data") == before


@pytest.mark.parametrize("params, message", [
    ({"data_engineering": {"overwrites": True}}, r"unknown key 'overwrites' \(did you mean 'overwrite'\?\)"),
    ({"translation": {"batchsize": 4}}, r"unknown key 'batchsize' \(did you mean 'batch_size'\?\)"),
    ({"data_enginering": {"seed": 1}}, r"unknown key 'data_enginering' \(did you mean 'data_engineering'\?\)"),
    ({"data_engineering": {"split_ratios": {"train": 0.5}}}, r"split_ratios[\s\S]*train \+ val \+ test must be 1"),
    ({"segmentation": {"training": {"folds": [7]}}}, r"folds[\s\S]*Input should be 0, 1, 2, 3, 4 or 'all'"),
    ({"translation": {"batch_size": 0}}, r"batch_size[\s\S]*greater than or equal to 1"),
    ({"inputs": {"source": {"scale": 0}}}, r"source.scale[\s\S]*greater than 0"),
])
def test_bad_parameter_stops_every_run_before_anything(project: Path, params, message) -> None:
    before = checksums(project / "data")
    with pytest.raises((ParameterError, ParameterValidationError), match=message):  # ours, or Kedro's around ours
        _run(project, "data_engineering", params)
    assert checksums(project / "data") == before


def test_scale_that_shrinks_an_image_to_nothing_names_the_image(project: Path) -> None:
    before = checksums(project / "data")
    with pytest.raises(ImageTooSmallError, match=r"inputs.source.scale = 0.0001 makes '.*sem_bids/sub-.*\.png' 0x0 px"):
        _run(project, "data_engineering", {"inputs": {"source": {"scale": 0.0001}},
                                           "data_engineering": {"overwrite": True}})
    assert checksums(project / "data") == before
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    last = mlflow.search_runs(experiment_names=["axondeepsynth-tests"], output_format="list",
                              order_by=["attributes.start_time DESC"], max_results=1)[0]
    assert last.info.status == "FAILED"  # a node failed: kedro-mlflow's on_pipeline_error


@pytest.mark.parametrize("pattern", ["sub-*/micr/*_SEM.png",
                                     "derivatives/labels/sub-*/micr/*_seg-axonmyelin-manual.png"])
def test_corrupt_image_or_mask_names_itself_before_anything_is_written(project: Path, pattern: str) -> None:
    users_data = project / "my_sem"
    shutil.copytree(project / "data" / "01_raw" / "phantoms" / "sem_bids", users_data)
    damaged = min(users_data.glob(pattern))
    damaged.write_bytes(damaged.read_bytes()[:200])
    before = {**checksums(project / "data"), **checksums(users_data)}
    with pytest.raises(ImageReadError, match=rf"'{damaged}'.*truncated"):
        _run(project, "data_engineering", {"inputs": {"generate_phantoms": False, "source": {"path": str(users_data)}},
                                           "data_engineering": {"overwrite": True}})
    assert {**checksums(project / "data"), **checksums(users_data)} == before


def test_folder_the_catalog_replaces_is_refused_up_front_when_not_the_projects(project: Path) -> None:
    """The masks folder (catalog ``overwrite: true``) holds someone's own files: refused before nnU-Net
    trains for minutes, instead of when the predictions are saved."""
    masks = project / "data" / "07_model_output" / "segmentation" / "masks"
    masks.mkdir(parents=True)
    (masks / "my_manual_mask.png").write_bytes(b"hand-drawn")
    before = checksums(project / "data")
    with pytest.raises(UnownedOutputError, match=r"segmentation/masks' exists and was not written by axondeepsynth"
                                                 r".*overwrite of catalog entry 'segmentation.segmentation_masks'"):
        _run(project, "segmentation")
    assert checksums(project / "data") == before


def test_nothing_to_segment_is_found_before_planning_and_training(project: Path) -> None:
    """The dataset to segment has no test images: the run stops before nnU-Net plans or trains."""
    shutil.rmtree(project / "data" / "06_models" / "nnunet" / "nnUNet_raw" / "Dataset501_SOURCE" / "imagesTs")
    before = checksums(project / "data")
    with pytest.raises(NoImagesToSegmentError, match="Dataset501_SOURCE"):
        _run(project, "segmentation")
    assert checksums(project / "data") == before
    assert not (project / "data" / "06_models" / "nnunet" / "nnUNet_preprocessed").exists()

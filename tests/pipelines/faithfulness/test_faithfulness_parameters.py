"""Parsing of the faithfulness parameters: the shipped defaults, named errors, locating the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from axondeepsynth.evaluation.faithfulness_table import DEFAULT_THRESHOLDS
from axondeepsynth.pipelines.faithfulness.parameters import (
    FaithfulnessParameterError,
    parse_faithfulness_parameters,
)

PROJECT_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def shipped() -> dict:
    """The ``faithfulness`` block of conf/base/parameters_faithfulness.yml, paired_dir dropped
    (it need not exist to parse)."""
    text = (PROJECT_ROOT / "conf" / "base" / "parameters_faithfulness.yml").read_text()
    return yaml.safe_load(text)["faithfulness"]


def test_shipped_defaults_parse(shipped):
    parsed = parse_faithfulness_parameters(shipped, shipped["oracle"])
    assert parsed.thresholds == DEFAULT_THRESHOLDS
    assert parsed.oracle.folds == (0,) and parsed.oracle.configuration == "2d"
    assert parsed.oracle.prediction.use_best_checkpoint is False and parsed.oracle.prediction.device == "auto"
    assert parsed.min_axon_area_px == 4 and parsed.figure_images == 3 and parsed.translated_dir is None


def test_the_segmentation_parameters_serve_as_oracle(shipped):
    segmentation = yaml.safe_load((PROJECT_ROOT / "conf" / "base" / "parameters_segmentation.yml").read_text())
    oracle = segmentation["segmentation"]
    parsed = parse_faithfulness_parameters(shipped, oracle).oracle
    assert parsed.dataset_id == oracle["nnunet"]["dataset_id"]
    assert parsed.trainer == oracle["training"]["trainer"]
    assert list(parsed.folds) == list(oracle["prediction"]["folds"] or oracle["training"]["folds"])


@pytest.mark.parametrize(("change", "named"), [
    (lambda p, o: o["nnunet"].update(dataset_id=0), "faithfulness.oracle.nnunet.dataset_id"),
    (lambda p, o: o["nnunet"].update(base_dir=None), "faithfulness.oracle.nnunet.base_dir"),
    (lambda p, o: p.update(thresholds=[0.9]), "faithfulness.thresholds"),
    (lambda p, o: p.update(thresholds={"dice_axon": 1.5}), "faithfulness.thresholds.dice_axon"),
    (lambda p, o: p.update(translated_dir="/nowhere/at/all"), "faithfulness.translated_dir"),
    (lambda p, o: p.update(pixel_size_um=-1), "faithfulness.pixel_size_um"),
    (lambda p, o: p.update(figure_images=1.5), "faithfulness.figure_images"),
    (lambda p, o: o["evaluation"].update(min_iou=2), "faithfulness.oracle.evaluation.min_iou"),
])
def test_bad_parameters_are_named(shipped, change, named):
    oracle = shipped["oracle"]
    change(shipped, oracle)
    with pytest.raises(FaithfulnessParameterError, match=named.replace(".", r"\.")):
        parse_faithfulness_parameters(shipped, oracle)


def test_the_oracle_model_folder_is_found_or_named(shipped, tmp_path):
    shipped["oracle"]["nnunet"]["base_dir"] = str(tmp_path)
    oracle = parse_faithfulness_parameters(shipped, shipped["oracle"]).oracle
    with pytest.raises(FaithfulnessParameterError, match="dataset_id 502: expected one trained dataset"):
        oracle.model_dir()
    dataset = tmp_path / "nnUNet_results" / "Dataset502_PHANTOM_TEM"
    (dataset / "nnUNetTrainerAxonDemo__nnUNetResEncUNetMPlans__2d").mkdir(parents=True)
    assert oracle.model_dir() == (dataset / "nnUNetTrainerAxonDemo__nnUNetResEncUNetMPlans__2d").resolve()
    (dataset / "nnUNetTrainerAxonDemo__nnUNetPlans__2d").mkdir()
    with pytest.raises(FaithfulnessParameterError, match="plans_identifier"):
        oracle.model_dir()
    shipped["oracle"]["planning"]["plans_identifier"] = "nnUNetPlans"
    chosen = parse_faithfulness_parameters(shipped, shipped["oracle"]).oracle
    assert chosen.model_dir() == (dataset / "nnUNetTrainerAxonDemo__nnUNetPlans__2d").resolve()

"""The typed parameter blocks: the shipped YAML is complete and valid, and every mistake is named.

The YAML holds every default (the models none), so these tests read the files a user edits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from axondeepsynth.parameters.blocks import PARAMETER_BLOCKS, check_parameters, parse_block
from axondeepsynth.parameters.errors import ParameterError

CONF = Path(__file__).resolve().parents[2] / "conf"


def _shipped() -> dict:
    merged = {}
    for path in sorted((CONF / "base").glob("parameters_*.yml")):
        merged.update(yaml.safe_load(path.read_text()))
    return merged


def test_every_shipped_block_is_complete_and_valid() -> None:
    params = _shipped()
    assert set(params) == set(PARAMETER_BLOCKS)
    check_parameters(params)
    for block, values in params.items():
        model = parse_block(block, values)
        assert set(values) == type(model).valid_keys(), f"{block}: the YAML gives every key of its model"


def test_no_output_location_is_a_parameter() -> None:
    """Everything the project writes is a catalog entry: no data/02_* ... data/08_* in parameters."""
    for path in sorted((CONF / "base").glob("parameters*.yml")):
        assert not re.search(r"data/0[2-8]_", path.read_text()), path.name


@pytest.mark.parametrize("env", ["full", "real"])
def test_shipped_environments_are_valid(env: str) -> None:
    from omegaconf import OmegaConf

    params = _shipped()
    for path in sorted((CONF / env).glob("parameters*.yml")):
        params = OmegaConf.to_container(OmegaConf.merge(params, yaml.safe_load(path.read_text())))
    check_parameters(params)


def test_unknown_keys_name_the_key_the_valid_ones_and_a_close_match() -> None:
    params = _shipped()
    params["data_enginering"] = params.pop("data_engineering")
    params["translation"]["batchsize"] = 4
    params["segmentation"]["training"]["foldz"] = [0]
    with pytest.raises(ParameterError) as error:
        check_parameters(params)
    message = str(error.value)
    assert "top level: unknown key 'data_enginering' (did you mean 'data_engineering'?)" in message
    assert "missing block(s) ['data_engineering']" in message
    assert "translation: unknown key 'batchsize' (did you mean 'batch_size'?); valid keys: batch_size," in message
    assert "segmentation.training: unknown key 'foldz' (did you mean 'folds'?)" in message


@pytest.mark.parametrize("block,change,expected", [
    ("data_engineering", {"split_ratios": {"train": 0.5, "val": 0.1, "test": 0.1}}, "must be 1"),
    ("data_engineering", {"to_translate": {"tile_size": 80, "overlap": 16, "name": "x"}}, "multiple of 32"),
    ("data_engineering", {"to_translate": {"tile_size": 64, "overlap": 64, "name": "x"}}, "smaller than tile_size"),
    ("translation", {"scale_factor": 0}, "translation.scale_factor"),
    ("translation", {"which_epoch": "last"}, "translation.which_epoch"),
    ("inputs", {"source": {"modality": "a/b", "path": "x", "scale": 1}}, "inputs.source.modality"),
    ("segmentation", {"training": {"folds": [7]}}, "segmentation.training.folds.0"),
    ("syndiff_training", {"preset": "huge"}, "syndiff_training.preset"),
])
def test_bad_values_are_named(block: str, change: dict, expected: str) -> None:
    from omegaconf import OmegaConf

    values = OmegaConf.to_container(OmegaConf.merge(_shipped()[block], change))
    with pytest.raises(ParameterError, match=re.escape(expected)):
        parse_block(block, values)


def test_a_missing_key_is_named() -> None:
    values = _shipped()["translation"]
    del values["batch_size"]
    with pytest.raises(ParameterError, match=r"translation\.batch_size: Field required"):
        parse_block("translation", values)

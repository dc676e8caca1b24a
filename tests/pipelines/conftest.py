"""Parameters for pipeline tests: the shipped ``conf/base`` values, validated like a Kedro run.

A ``kedro run`` turns each typed ``params:`` input into its model; tests that run a pipeline on a
hand-built :class:`~kedro.io.DataCatalog` get the same objects from the ``add_parameters`` fixture, so they
exercise the shipped defaults rather than hand-written copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from kedro.io import DataCatalog
from omegaconf import OmegaConf
from pydantic import BaseModel

from axondeepsynth.parameters.blocks import PARAMETER_BLOCKS

BASE_CONF = Path(__file__).resolve().parents[2] / "conf" / "base"


def _shipped_parameters(**overrides: Any) -> dict[str, Any]:
    """``conf/base/parameters_*.yml`` merged, with ``overrides`` deep-merged over them (by block)."""
    merged: dict[str, Any] = {}
    for path in sorted(BASE_CONF.glob("parameters_*.yml")):
        merged.update(yaml.safe_load(path.read_text()))
    return OmegaConf.to_container(OmegaConf.merge(merged, overrides))


def _entries(name: str, value: Any) -> dict[str, Any]:
    entries = {name: value}
    if isinstance(value, BaseModel):
        for field, info in type(value).model_fields.items():
            entries.update(_entries(f"{name}.{info.alias or field}", getattr(value, field)))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            entries.update(_entries(f"{name}.{key}", item))
    return entries


def _add_parameters(catalog: DataCatalog, params: Mapping[str, Any]) -> DataCatalog:
    """Add every ``params:<block>[.<key>...]`` entry of ``params``, each block as its model."""
    for block, values in params.items():
        for name, value in _entries(f"params:{block}", PARAMETER_BLOCKS[block].model_validate(values)).items():
            catalog[name] = value
    return catalog


@pytest.fixture
def shipped_parameters():
    """``shipped_parameters(**overrides)``: the conf/base parameters with block overrides."""
    return _shipped_parameters


@pytest.fixture
def add_parameters():
    """``add_parameters(catalog, params)``: every ``params:...`` entry, blocks validated as in a run."""
    return _add_parameters


@pytest.fixture
def inputs_of(phantom_root: Path):
    """``inputs`` naming the session's phantom tree (generation off: the tree exists)."""
    def make(**changes: Any) -> dict[str, Any]:
        inputs = {"generate_phantoms": False,
                  "source": {"modality": "sem", "path": str(phantom_root / "sem_bids"), "scale": "auto"},
                  "target": {"modality": "tem", "path": str(phantom_root / "tem_bids"), "scale": "auto",
                             "test_fraction": 0.25, "test_seed": 0, "transductive": False, "regions": None},
                  "paired": str(phantom_root / "paired"), "working_pixel_size_um": 0.1,
                  "exclude_dirs": ["derivatives", ".git"]}
        return OmegaConf.to_container(OmegaConf.merge(inputs, changes))
    return make

"""Replicate seed slots: unused slots skip every node and record it; used slots run unchanged."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Node, Pipeline, pipeline
from kedro.runner import SequentialRunner
from kedro_datasets.json import JSONDataset

from axondeepsynth.artifacts.skipped_seed_slot import SkippedSeedSlot
from axondeepsynth.datasets.seed_slot_dataset import SeedSlotDataset
from axondeepsynth.parameters.experiment import SEED_SLOTS
from axondeepsynth.parameters.syndiff_training import SynDiffTrainingParams
from axondeepsynth.pipelines.experiment.seed_replicates import seed_replicates
from axondeepsynth.pipelines.experiment.seed_slots import in_seed_slot
from axondeepsynth.pipelines.experiment.seed_spread_report import summarise_seed_spread, with_slot_seed

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _double(value: int) -> int:
    return 2 * value


def _slot(folder: Path, seeds: int, slot: int = 1) -> dict:
    """Run a two-node chain as replicate slot ``slot`` of an experiment with ``seeds`` seeds."""
    chain = Pipeline([Node(_double, "value", "doubled", name="double"), Node(_double, "doubled", "quadrupled",
                                                                          name="double_again")])
    namespaced = pipeline(chain, namespace=f"seed_{slot}", inputs={"value": "value"})
    outputs = {name: SeedSlotDataset({"type": "json.JSONDataset", "filepath": str(folder / f"{name}.json")},
                                     str(folder / f"{name}.skipped.json")) for name in ("doubled", "quadrupled")}
    catalog = DataCatalog({"value": MemoryDataset(3), "params:experiment": MemoryDataset({"seeds": seeds}),
                           **{f"seed_{slot}.{name}": dataset for name, dataset in outputs.items()}})
    SequentialRunner().run(in_seed_slot(namespaced, slot), catalog)
    return {name: dataset.load() for name, dataset in outputs.items()}


def test_a_slot_experiment_seeds_uses_runs_its_nodes_unchanged(tmp_path: Path) -> None:
    assert _slot(tmp_path, seeds=2) == {"doubled": 6, "quadrupled": 12}


def test_a_slot_experiment_seeds_leaves_out_skips_every_node(tmp_path: Path) -> None:
    outputs = _slot(tmp_path, seeds=2, slot=2)
    assert outputs == {"doubled": SkippedSeedSlot(2, 2), "quadrupled": SkippedSeedSlot(2, 2)}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["doubled.skipped.json", "quadrupled.skipped.json"]


def test_a_skipped_slot_leaves_the_wrapped_dataset_alone_and_a_used_one_clears_the_marker(tmp_path: Path) -> None:
    record = tmp_path / "fold_0.json"
    dataset = SeedSlotDataset({"type": "json.JSONDataset", "filepath": str(record)}, str(tmp_path / "skip.json"))
    dataset.save({"fold": "0"})
    assert dataset.exists()
    dataset.save(SkippedSeedSlot(1, 1))
    assert dataset.load() == SkippedSeedSlot(1, 1)
    assert not dataset.exists(), "a skipped slot is missing for --only-missing-outputs (seeds may grow)"
    assert json.loads(record.read_text()) == {"fold": "0"}, "an earlier run's record must survive a skipped run"
    dataset.save({"fold": "0", "trained": True})
    assert not (tmp_path / "skip.json").exists() and dataset.load() == {"fold": "0", "trained": True}
    assert JSONDataset(filepath=str(record)).load() == {"fold": "0", "trained": True}


def test_every_output_of_a_slot_has_a_catalog_entry_that_can_hold_the_skip_marker() -> None:
    """A slot output served by an arm's factory would hand the marker to a real dataset's save()."""
    config = OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base")
    catalog = DataCatalog.from_config(config["catalog"])
    outputs = {name for node in seed_replicates().nodes if node.name.startswith("seed_") for name in node.outputs}
    assert {f"seed_{slot}.syndiff_model" for slot in SEED_SLOTS} <= outputs
    for name in sorted(outputs):
        dataset = catalog.get(name)
        assert dataset is None or isinstance(dataset, SeedSlotDataset | MemoryDataset), (name, type(dataset))
    raw = {catalog.get(f"seed_{slot}.tutorship.nnunet_raw")._describe()["dataset"]["dataset_id"] for slot in SEED_SLOTS}
    assert raw == {520 + slot for slot in SEED_SLOTS}, "each slot needs its own nnU-Net dataset id"


def _metrics(dice: float) -> pd.DataFrame:
    return pd.DataFrame({"image": ["a", "b"], "dice_myelin": [dice, dice + 0.1], "dice_axon": [dice, dice - 0.1]})


def test_spread_over_the_seeds_that_ran(tmp_path: Path) -> None:
    config = OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base")
    settings = SynDiffTrainingParams.model_validate(config["parameters"]["syndiff_training"])
    assert with_slot_seed(settings, 2).seed == settings.seed + 2
    from axondeepsynth.parameters.experiment import ExperimentParams

    table, markdown, metrics = summarise_seed_spread(
        ExperimentParams(seeds=2), settings, adaptation=_metrics(0.6), tutorship=_metrics(0.8),
        seed_1_adaptation=_metrics(0.7), seed_1_tutorship=_metrics(0.8),
        seed_2_adaptation=SkippedSeedSlot(2, 2), seed_2_tutorship=SkippedSeedSlot(2, 2))
    row = table.set_index("arm").loc["adaptation"]
    assert row["seeds"] == 2
    assert row["dice_foreground_mean"] == pytest.approx(0.65)
    assert row["dice_foreground_std"] == pytest.approx(pd.Series([0.6, 0.7]).std())
    assert row[f"dice_foreground_seed_{settings.seed + 1}"] == pytest.approx(0.7)
    assert table.set_index("arm").loc["tutorship", "dice_foreground_std"] == pytest.approx(0.0)
    assert "0.650 ± 0.071" in markdown and f"{settings.seed}, {settings.seed + 1}" in markdown
    assert "adaptation.dice_foreground_std" in metrics

    single, markdown, _ = summarise_seed_spread(
        ExperimentParams(seeds=1), settings, adaptation=_metrics(0.6),
        seed_1_adaptation=SkippedSeedSlot(1, 1), seed_2_adaptation=SkippedSeedSlot(2, 1))
    assert single["seeds"].tolist() == [1] and math.isnan(single["dice_foreground_std"].item())
    assert "no spread is measured" in markdown


def test_slot_nodes_can_be_sent_to_parallel_runner_workers() -> None:
    """ParallelRunner pickles each node for its worker process; a slot's wrapped functions must survive that."""
    import pickle

    slot_nodes = [node for node in seed_replicates().nodes if node.name.startswith("seed_")]
    assert len(slot_nodes) > 20
    for node in slot_nodes:
        restored = pickle.loads(pickle.dumps(node))
        assert restored.name == node.name and restored.func.__name__ == node.func.__name__

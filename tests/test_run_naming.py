"""MLflow runs are named for the pipeline and the experiment's inputs."""

from __future__ import annotations

import mlflow
from kedro.io import DataCatalog, MemoryDataset

from axondeepsynth.run_naming import RunNamingHook, describe_run, run_name

PARAMS = {
    "inputs": {"generate_phantoms": False, "source": {"modality": "sem", "path": "data/01_raw/real/sem_bids"},
               "target": {"modality": "tem", "path": "/lab/scans/tem_macaque/"}},
    "syndiff_training": {"preset": "default", "seed": 1},
}


def test_the_default_pipeline_is_named_for_its_inputs_and_model():
    name = run_name(describe_run(["__default__"], PARAMS, "real"))
    assert name == "experiment · sem (sem_bids) -> tem (tem_macaque) · syndiff default seed 1 · env real"


def test_a_pipeline_run_with_overrides_says_so():
    pieces = describe_run(["segmentation"], PARAMS, "local", {"segmentation": {"training": {"num_epochs": 50}}})
    assert run_name(pieces) == "segmentation · sem (sem_bids) · --params segmentation.training.num_epochs=50"


def test_the_hook_renames_the_active_run_and_tags_it():
    catalog = DataCatalog({"parameters": MemoryDataset({**PARAMS, "inputs": {**PARAMS["inputs"],
                                                                             "generate_phantoms": True}})})
    with mlflow.start_run(run_name="__default__") as run:
        RunNamingHook().before_pipeline_run({"pipeline_names": ["__default__"], "env": "local",
                                             "runtime_params": {"translation": {"seed": 3}}}, None, catalog)
    stored = mlflow.get_run(run.info.run_id)
    assert stored.info.run_name == ("experiment · sem (sem_bids) -> tem (tem_macaque) · phantoms · "
                                    "syndiff default seed 1 · --params translation.seed=3")
    assert stored.data.tags["axondeepsynth.pipeline"] == "experiment"
    assert stored.data.tags["mlflow.runName"] == stored.info.run_name

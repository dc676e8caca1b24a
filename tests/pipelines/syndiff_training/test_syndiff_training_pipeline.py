"""syndiff_training end to end on phantoms: HDF5 sets in, checkpoints, summary, figure and MLflow
metrics out, through the project's catalog entries; plus the node's refusals of bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pytest
import torch
import yaml
from kedro.io import DataCatalog
from kedro.runner import SequentialRunner

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment
from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image
from axondeepsynth.parameters.syndiff_training import SynDiffTrainingParams
from axondeepsynth.pipelines.syndiff_training import create_pipeline
from axondeepsynth.pipelines.syndiff_training.nodes import train_syndiff
from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.syndiff.config import ConfigError
from axondeepsynth.syndiff.training_data import ModalityNotFoundError, TileSizeError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TEM_TO_SEM_SCALE = 0.5
"""Phantom TEM is rendered at 0.05 um/px, SEM at 0.1 um/px: halve TEM to the SEM pixel size."""

MICRO_MODEL = {
    "num_channels": 8, "ch_mult": [1, 1, 1, 1], "num_res_blocks": 1, "attn_resolutions": [8], "nz": 8,
    "z_emb_dim": 16, "t_emb_dim": 16, "n_mlp": 1, "disc_channels": 8, "ngf": 8, "n_resnet_blocks": 1, "ndf": 8,
}


def _images(folder: Path, pattern: str, scale: float = 1.0) -> list[np.ndarray]:
    paths = sorted(p for p in folder.glob(pattern) if "_seg-" not in p.name)
    return [rescale_image(read_grayscale(p), scale) if scale != 1.0 else read_grayscale(p) for p in paths]


@pytest.fixture(scope="module")
def hdf5_sets(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """dataset_{train,val,paired}.hdf5 as data_engineering writes them, from the phantom tree."""
    sem = _images(phantom_root / "sem_bids", "sub-*/micr/*_SEM.png")
    tem = _images(phantom_root / "tem_bids", "sub-*/micr/*_TEM.png", TEM_TO_SEM_SCALE)
    # paired/tem/<tem sample>_SEM.png is the SEM rendering of that TEM sample's tissue.
    sem_of_tem = _images(phantom_root / "paired" / "tem", "*_SEM.png")
    folder = tmp_path_factory.mktemp("syndiff_sets")
    splits = {"train": {"sem": sem[:-2], "tem": tem[:-2]}, "val": {"sem": sem[-2:], "tem": tem[-2:]},
              "paired": {"sem": sem_of_tem[-2:], "tem": tem[-2:]}}
    paths = {}
    for split, images in splits.items():
        paths[split] = folder / f"dataset_{split}.hdf5"
        SynDiffHDF5Dataset(str(paths[split])).save(images)
    return paths


def _params(**changes: Any) -> dict[str, Any]:
    shipped = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_syndiff_training.yml").read_text())
    params = shipped["syndiff_training"]
    params.update(preset="tiny", model_config=MICRO_MODEL, optimization_config={"batch_size": 2, "num_epochs": 2},
                  max_steps_per_epoch=2, save_ckpt_every=1, figure_every=1, validate_every=1, val_max_images=2,
                  device="cpu",
                  cpu_threads=1)
    params.update(changes)
    return params


def _catalog(hdf5_sets: dict[str, Path], out: Path, params: dict[str, Any]) -> DataCatalog:
    """The project's catalog entries for this pipeline, with paths moved under ``out``."""
    project_catalog = yaml.safe_load((PROJECT_ROOT / "conf/base/catalog.yml").read_text())
    names = ("syndiff_checkpoints", "syndiff_model", "syndiff_training_summary", "syndiff_validation_figure")
    config = {name: project_catalog[name] for name in names}
    config["syndiff_checkpoints"]["path"] = str(out / "06_models" / "syndiff" / "phantom_exp")
    config["syndiff_model"]["filepath"] = str(out / "06_models" / "syndiff" / "phantom_exp" / "model.json")
    config["syndiff_training_summary"]["filepath"] = str(out / "summary.json")
    config["syndiff_validation_figure"]["dataset"]["filepath"] = str(out / "validation.png")
    for split in ("train", "val", "paired"):
        config[f"syndiff_{split}"] = {"type": "axondeepsynth.datasets.syndiff_hdf5_dataset.SynDiffHDF5Dataset",
                                      "filepath": str(hdf5_sets[split])}
    catalog = DataCatalog.from_config(config)
    catalog["params:syndiff_training"] = SynDiffTrainingParams.model_validate(params)
    return catalog


def test_pipeline_trains_checkpoints_and_logs(hdf5_sets: dict[str, Path], tmp_path: Path) -> None:
    previous_threads = torch.get_num_threads()
    catalog = _catalog(hdf5_sets, tmp_path, _params())
    with mlflow.start_run() as run:
        SequentialRunner().run(create_pipeline(), catalog)
    torch.set_num_threads(previous_threads)

    summary = catalog.load("syndiff_training_summary")
    assert summary["epochs_completed"] == 2 and summary["global_step"] == 4
    assert summary["checkpoint_epochs"] == [1, 2]
    final = summary["final_metrics"]
    expected = {"val_cycle_psnr_sem", "val_cycle_ssim_tem", "val_psnr_tem_from_sem", "val_ssim_sem_from_tem"}
    assert expected <= final.keys()
    assert all(np.isfinite(v) for v in final.values())
    store = CheckpointStore(tmp_path / "06_models" / "syndiff")
    generator, model_config, _ = store.load_diffusive_generator("phantom_exp", "latest", 1)
    assert model_config.num_channels == 8
    assert store.resume_path("phantom_exp").is_file()
    assert (tmp_path / "validation.png").stat().st_size > 1000
    model = catalog.load("syndiff_model")
    assert model.contrasts == ("sem", "tem") and model.experiment.path == store.experiment_dir("phantom_exp")

    client = mlflow.tracking.MlflowClient()
    history = client.get_metric_history(run.info.run_id, "val_cycle_psnr_sem")
    assert [m.step for m in history] == [1, 2]
    assert [m.step for m in client.get_metric_history(run.info.run_id, "loss_g_total")] == [1, 2]
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"syndiff_validation", "syndiff_generators", "syndiff_training"} <= artifacts


def test_bad_inputs_are_refused_before_training(hdf5_sets: dict[str, Path], tmp_path: Path) -> None:
    train = SynDiffHDF5Dataset(str(hdf5_sets["train"])).load()
    val = SynDiffHDF5Dataset(str(hdf5_sets["val"])).load()
    experiment = SynDiffExperiment(CheckpointStore(tmp_path), "exp")
    with pytest.raises(ModalityNotFoundError, match=r"'tem' is not in syndiff_val .*\['sem'\]"):
        train_syndiff(train, {"sem": val["sem"]}, {}, experiment, SynDiffTrainingParams.model_validate(_params()))
    with pytest.raises(ConfigError, match="exactly two modalities"):
        train_syndiff({"sem": train["sem"]}, val, {}, experiment, SynDiffTrainingParams.model_validate(_params()))
    with pytest.raises(TileSizeError, match="multiple of 32"):
        params = _params(model_config={**MICRO_MODEL, "image_size": 80})
        train_syndiff(train, val, {}, experiment, SynDiffTrainingParams.model_validate(params))
    with pytest.raises(TileSizeError, match="larger than every image of syndiff_train"):
        params = _params(model_config={**MICRO_MODEL, "image_size": 256})
        train_syndiff(train, val, {}, experiment, SynDiffTrainingParams.model_validate(params))
    assert not any(tmp_path.iterdir())

"""Fixtures shared by the whole suite: where the real samples are, a small phantom tree, and a
project after one real data_engineering run.

The real labelled SEM/TEM samples are never committed: they are found through
``AXONDEEPSYNTH_REAL_DATA`` (default ``../shared/data/real`` beside the project). Tests that need
them skip with a reason on a user's clone; CI always has them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA_ENV = "AXONDEEPSYNTH_REAL_DATA"
DEFAULT_REAL_DATA = PROJECT_ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session", autouse=True)
def _isolated_tracking(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep tests off the user's MLflow store and Kedro telemetry."""
    os.environ["KEDRO_DISABLE_TELEMETRY"] = "1"
    db = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{db}"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """Root of the real samples (``sem_bids/``, ``tem_bids/``); skips when they are absent."""
    root = Path(os.environ.get(REAL_DATA_ENV, DEFAULT_REAL_DATA))
    if not (root / "sem_bids").is_dir() or not (root / "tem_bids").is_dir():
        pytest.skip(f"real samples not found at {root} (set {REAL_DATA_ENV} to their folder)")
    return root


@pytest.fixture(scope="session")
def phantom_config():
    """A phantom configuration small enough for unit tests (a few images per modality)."""
    from axondeepsynth.phantoms import PhantomConfig

    return PhantomConfig.small_for_tests()


@pytest.fixture(scope="session")
def phantom_root(tmp_path_factory: pytest.TempPathFactory, phantom_config) -> Path:
    """A phantom tree (sem_bids, tem_bids, paired, nnunet) written once per test session."""
    from axondeepsynth.phantoms import write_phantom_tree

    root = tmp_path_factory.mktemp("phantoms") / "phantoms"
    write_phantom_tree(phantom_config, root)
    return root


PHANTOM_SEM_PIXEL_SIZE_UM = 0.1
"""The phantom SEM pixel size (``PhantomConfig.small_for_tests``), recorded in the tiny model's dataset."""


@pytest.fixture(scope="session")
def phantom_sem_dataset(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The phantom tree's nnU-Net raw Dataset501_PHANTOM_SEM (imagesTs/labelsTs held out), in a base of its
    own, its pixel size recorded so that the trained model resamples images to it."""
    import json
    import shutil

    from axondeepsynth.nnunet.raw_dataset import METADATA_KEY

    dataset = tmp_path_factory.mktemp("tiny_sem_nnunet") / "nnunet" / "nnUNet_raw" / "Dataset501_PHANTOM_SEM"
    shutil.copytree(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", dataset)
    description = json.loads((dataset / "dataset.json").read_text())
    description[METADATA_KEY] = {"pixel_size_um": PHANTOM_SEM_PIXEL_SIZE_UM}  # as the project's exports record it
    (dataset / "dataset.json").write_text(json.dumps(description))
    return dataset


@pytest.fixture(scope="session")
def trained_fold_record(phantom_sem_dataset: Path) -> dict:
    """The record of a few-second CPU training of fold ``all`` (what the segmentation pipeline's fold nodes
    write): a model with the right contract and meaningless quality, shared by the serving and
    prediction tests."""
    from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
    from axondeepsynth.nnunet.training import TrainingSettings, train_fold

    base = phantom_sem_dataset.parents[1]
    plan = plan_and_preprocess(base, 501, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    return train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                      TrainingSettings(num_epochs=2, iterations_per_epoch=3, val_iterations_per_epoch=1,
                                       save_every=100, device="cpu", validate=False), num_processes=1)


@pytest.fixture(scope="session")
def trained_nnunet_dir(trained_fold_record: dict) -> Path:
    """nnU-Net's model folder of that training."""
    return Path(trained_fold_record["model_dir"])


def copy_project_configuration(project: Path) -> Path:
    """Make ``project`` a throwaway Kedro project: the configuration (no conf/local), pyproject,
    empty ``src`` (the package itself is imported from the installed project) and ``data``."""
    import shutil

    shutil.copytree(PROJECT_ROOT / "conf", project / "conf", ignore=shutil.ignore_patterns("local"))
    (project / "conf" / "local").mkdir()
    for name in ("pyproject.toml", ".telemetry"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    (project / "src").mkdir()
    (project / "data").mkdir()
    return project


SMALL_PHANTOMS = {"n_subjects": 3, "samples_per_subject": 2, "field_of_view_um": 12.8}
"""Phantoms small enough that data_engineering takes seconds (``conf/test`` of the engineered project)."""


@pytest.fixture(scope="session")
def engineered_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy after one real ``kedro run --env test --pipeline data_engineering`` on small
    phantoms (set in its ``conf/test/parameters_small.yml``, so later runs there use them too): the
    phantoms, SynDiff sets, tile set and both nnU-Net raw datasets exist, and the run is in MLflow
    (tag ``project_path``: this folder). Made once per session and never changed: tests that run
    more pipelines in it take a copy (:func:`engineered_copy`)."""
    import yaml
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    root = copy_project_configuration(tmp_path_factory.mktemp("engineered") / "project")
    (root / "conf" / "test" / "parameters_small.yml").write_text(yaml.safe_dump({"phantoms": SMALL_PHANTOMS}))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        bootstrap_project(root)
        with KedroSession.create(project_path=root, env="test") as session:
            session.run(pipeline_names=["data_engineering"])
    return root


@pytest.fixture
def engineered_copy(engineered_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of :func:`engineered_project`, made the working directory."""
    import shutil

    from kedro.framework.startup import bootstrap_project

    root = tmp_path / "project"
    shutil.copytree(engineered_project, root, symlinks=True)
    monkeypatch.chdir(root)
    bootstrap_project(root)
    return root


@pytest.fixture
def kedro_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway copy of the project's configuration, made the working directory.

    Catalog paths are relative to the project root, so running a ``KedroSession`` here keeps
    every output (data, checkpoints, MLflow artifacts) inside ``tmp_path``.
    """
    from kedro.framework.startup import bootstrap_project

    project = copy_project_configuration(tmp_path / "project")
    monkeypatch.chdir(project)
    bootstrap_project(project)
    return project

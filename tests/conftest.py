"""Fixtures shared by the whole suite: where the real samples are, and a small phantom tree.

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


@pytest.fixture(scope="session")
def project_copier():
    """:func:`copy_project_configuration`, for fixtures of other scopes than ``kedro_project``."""
    return copy_project_configuration


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

"""Fixtures of the reliability suite: a project-owned copy of a phantom dataset to aim destructive
writes at, and a project after a real data_engineering run to aim faulty ``kedro run``s at.

Every case asserts the message a user sees *and* that each input file is byte-for-byte unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reliability_helpers import copy_as_project_output


@pytest.fixture
def owned_sem_dataset(phantom_root: Path, tmp_path: Path) -> Path:
    """The phantom SEM nnU-Net raw dataset, project-owned, at ``<tmp>/nnunet/nnUNet_raw/Dataset501_PHANTOM_SEM``."""
    return copy_as_project_output(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM",
                                  tmp_path / "nnunet" / "nnUNet_raw" / "Dataset501_PHANTOM_SEM")


SMALL_PHANTOMS = {"n_subjects": 3, "samples_per_subject": 2, "field_of_view_um": 12.8}
"""Phantoms small enough that data_engineering takes seconds (conf/test of the project copies)."""


@pytest.fixture(scope="session")
def engineered_project(tmp_path_factory: pytest.TempPathFactory, project_copier) -> Path:
    """A project copy after one real ``kedro run --pipeline data_engineering`` (small phantoms):
    the phantoms, SynDiff sets, tile set and both nnU-Net raw datasets exist. Made once: the
    cases copy it (:func:`project`) and aim their faulty runs at the copy."""
    import yaml
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    root = project_copier(tmp_path_factory.mktemp("engineered") / "project")
    (root / "conf" / "test" / "parameters_small.yml").write_text(yaml.safe_dump({"phantoms": SMALL_PHANTOMS}))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        bootstrap_project(root)
        with KedroSession.create(project_path=root, env="test") as session:
            session.run(pipeline_names=["data_engineering"])
    return root


@pytest.fixture
def project(engineered_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of :func:`engineered_project`, made the working directory."""
    from kedro.framework.startup import bootstrap_project

    root = tmp_path / "project"
    shutil.copytree(engineered_project, root, symlinks=True)
    monkeypatch.chdir(root)
    bootstrap_project(root)
    return root

"""Point nnU-Net v2 at a project folder instead of shell exports.

nnU-Net finds its three data folders through environment variables (``nnUNet_raw``,
``nnUNet_preprocessed``, ``nnUNet_results``); a few more tune its worker processes
(``nnUNet_def_n_proc`` for exports and validation, ``nnUNet_n_proc_DA`` for data augmentation) and
where it finds trainer classes outside its own package (``nnUNet_extTrainer``).

Some of these are read when ``nnunetv2`` modules are first imported (``nnUNet_def_n_proc`` in
``nnunetv2.configuration``; the paths in nnU-Net releases before 2.6), the others when they are
used. So every function of :mod:`axondeepsynth.nnunet` calls :func:`activate_nnunet_environment`
first and imports ``nnunetv2`` lazily inside itself, after the variables are set. Code that
imports ``nnunetv2`` directly must do the same.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
TRAINERS_DIR = Path(__file__).resolve().parent / "trainers"


@dataclass(frozen=True)
class NnUNetPaths:
    """The three folders nnU-Net works in, all below one base folder."""

    base_dir: Path

    @property
    def raw(self) -> Path:
        return self.base_dir / "nnUNet_raw"

    @property
    def preprocessed(self) -> Path:
        return self.base_dir / "nnUNet_preprocessed"

    @property
    def results(self) -> Path:
        return self.base_dir / "nnUNet_results"


def dataset_folder_name(dataset_id: int, dataset_name: str) -> str:
    """nnU-Net's folder name for a dataset: ``Dataset<ID, 3 digits>_<name>``."""
    if not 1 <= int(dataset_id) <= 999:
        raise ValueError(f"nnU-Net dataset_id must lie in 1..999, got {dataset_id}; change the catalog entry's "
                         "dataset_id.")
    if not _DATASET_NAME.fullmatch(str(dataset_name)):
        raise ValueError(
            f"nnU-Net dataset_name '{dataset_name}' must be letters, digits, '_' or '-' "
            "(e.g. SEM or PHANTOM_SEM); change segmentation.nnunet.dataset_name."
        )
    return f"Dataset{int(dataset_id):03d}_{dataset_name}"


def activate_nnunet_environment(base_dir: Path | str, num_processes: int = 2) -> NnUNetPaths:
    """Set nnU-Net's environment variables for ``base_dir`` and return its folders.

    Args:
        base_dir: folder holding ``nnUNet_raw``, ``nnUNet_preprocessed`` and ``nnUNet_results``
            (created when missing).
        num_processes: worker processes nnU-Net may start for exports and validation; only
            effective when ``nnunetv2.configuration`` has not been imported yet in this process.

    Our trainers folder is added to ``nnUNet_extTrainer`` so that nnU-Net's own lookups (the
    predictor rebuilding a network from a checkpoint's trainer name) find our short trainer.
    """
    paths = NnUNetPaths(Path(base_dir).resolve())
    for folder, variable in ((paths.raw, "nnUNet_raw"), (paths.preprocessed, "nnUNet_preprocessed"),
                             (paths.results, "nnUNet_results")):
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[variable] = str(folder)
    os.environ["nnUNet_extTrainer"] = str(TRAINERS_DIR)
    os.environ["nnUNet_def_n_proc"] = str(max(1, int(num_processes)))
    _warn_if_configuration_frozen(int(num_processes))
    return paths


def _warn_if_configuration_frozen(num_processes: int) -> None:
    configuration = sys.modules.get("nnunetv2.configuration")
    if configuration is not None and configuration.default_num_processes != max(1, num_processes):
        logger.warning(
            "nnunetv2 was imported before its environment was set: it keeps %d worker processes "
            "instead of %d. Import nnunetv2 only after activate_nnunet_environment().",
            configuration.default_num_processes, num_processes,
        )


@contextmanager
def augmentation_processes(count: int) -> Iterator[None]:
    """``nnUNet_n_proc_DA`` set to ``count`` (0: augment in the training process) while training.

    Restored afterwards: nnU-Net's planner passes the same variable to ``torch.set_num_threads``,
    which refuses 0, so a value left behind by one fold would break the next dataset's planning.
    """
    previous = os.environ.get("nnUNet_n_proc_DA")
    os.environ["nnUNet_n_proc_DA"] = str(max(0, int(count)))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("nnUNet_n_proc_DA", None)
        else:
            os.environ["nnUNet_n_proc_DA"] = previous

"""Verify, plan and preprocess an nnU-Net raw dataset through nnU-Net's Python API.

This is ``nnUNetv2_plan_and_preprocess -d <ID> -c <configuration> --verify_dataset_integrity``
without the shell: nnU-Net extracts the dataset fingerprint, plans the configuration (patch and
batch size, network topology) and writes the preprocessed arrays to ``nnUNet_preprocessed``.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from pathlib import Path

from axondeepsynth.nnunet.environment import NnUNetPaths, activate_nnunet_environment
from axondeepsynth.nnunet.integrity import verify_raw_dataset

logger = logging.getLogger(__name__)


class DatasetNotFoundError(FileNotFoundError):
    """No nnU-Net raw dataset with the configured id exists."""


@dataclass(frozen=True)
class PlanningSettings:
    """How nnU-Net plans a dataset.

    Attributes:
        configuration: nnU-Net configuration to preprocess (``2d`` for microscopy).
        planner: experiment planner class name: nnU-Net's (``ExperimentPlanner``,
            ``nnUNetPlannerResEncM``...) or ``nnUNetPlannerAxonCPU`` (narrow network for CPUs).
        plans_identifier: name of the plans; ``None`` keeps the planner's default (``nnUNetPlans``).
        gpu_memory_target_gb: memory the planner sizes patch and batch for; ``None`` keeps nnU-Net's
            default (8 GB). A small value (e.g. 1) gives small patches that train fast on a CPU.
        num_processes: worker processes for fingerprinting, checking and preprocessing.
        replan: plan and preprocess again even when nnU-Net's preprocessed data already exist.
    """

    configuration: str = "2d"
    planner: str = "ExperimentPlanner"
    plans_identifier: str | None = None
    gpu_memory_target_gb: float | None = None
    num_processes: int = 2
    replan: bool = False


def find_raw_dataset(paths: NnUNetPaths, dataset_id: int) -> Path:
    """The raw dataset folder ``Dataset<ID>_*`` for ``dataset_id``; exactly one must exist."""
    matches = sorted(p for p in paths.raw.glob(f"Dataset{int(dataset_id):03d}_*") if p.is_dir())
    if len(matches) != 1:
        found = "none" if not matches else ", ".join(str(m) for m in matches)
        raise DatasetNotFoundError(
            f"Expected one nnU-Net raw dataset with id {dataset_id} in '{paths.raw}', found {found}. "
            "Export one with `kedro run --pipeline data_engineering` or fix segmentation.nnunet.dataset_id."
        )
    return matches[0]


def _is_preprocessed(paths: NnUNetPaths, dataset_name: str, plans_identifier: str, configuration: str) -> bool:
    plans_file = paths.preprocessed / dataset_name / f"{plans_identifier}.json"
    data_folder = paths.preprocessed / dataset_name / f"{plans_identifier}_{configuration}"
    return plans_file.is_file() and data_folder.is_dir() and any(data_folder.iterdir())


def _planner_class(name: str) -> type:
    """Our CPU planner or an nnU-Net planner class by name."""
    import nnunetv2
    from nnunetv2.experiment_planning.experiment_planners.default_experiment_planner import ExperimentPlanner
    from nnunetv2.utilities.find_class_by_name import recursive_find_python_class

    from axondeepsynth.nnunet.cpu_planner import nnUNetPlannerAxonCPU

    if name == nnUNetPlannerAxonCPU.__name__:
        return nnUNetPlannerAxonCPU
    found = recursive_find_python_class(str(Path(nnunetv2.__path__[0]) / "experiment_planning"), name,
                                        current_module="nnunetv2.experiment_planning")
    if found is None or not issubclass(found, ExperimentPlanner):
        raise ValueError(f"Unknown nnU-Net planner '{name}'; use ExperimentPlanner, nnUNetPlannerResEncM, "
                         f"nnUNetPlannerAxonCPU ... in segmentation.planning.planner.")
    return found


def _default_plans_identifier(planner: str) -> str:
    """The plans name a planner writes by default (read from its constructor)."""
    return inspect.signature(_planner_class(planner).__init__).parameters["plans_name"].default


def plan_and_preprocess(base_dir: Path | str, dataset_id: int, settings: PlanningSettings) -> dict:
    """Check, plan and preprocess dataset ``dataset_id`` below ``base_dir``.

    Returns:
        ``{"dataset_name", "plans_identifier", "configuration", "patch_size", "batch_size"}``.

    Raises:
        DatasetNotFoundError, DatasetJsonError, DatasetIntegrityError: the raw dataset is absent
            or fails nnU-Net's integrity check.
    """
    paths = activate_nnunet_environment(base_dir, settings.num_processes)
    dataset_dir = find_raw_dataset(paths, dataset_id)
    verify_raw_dataset(dataset_dir, settings.num_processes)

    from nnunetv2.experiment_planning.plan_and_preprocess_api import (
        extract_fingerprint_dataset,
        plan_experiment_dataset,
        preprocess,
    )

    from axondeepsynth.nnunet.fingerprint import SampledFingerprintExtractor
    from nnunetv2.utilities.plans_handling.plans_handler import PlansManager

    dataset_name = dataset_dir.name
    plans_identifier = settings.plans_identifier or _default_plans_identifier(settings.planner)
    if settings.replan or not _is_preprocessed(paths, dataset_name, plans_identifier, settings.configuration):
        logger.info("Planning and preprocessing %s (%s).", dataset_name, settings.configuration)
        extract_fingerprint_dataset(dataset_id, SampledFingerprintExtractor, settings.num_processes,
                                    check_dataset_integrity=False, clean=True, verbose=False,
                                    show_progress_bar=False)
        _, plans_identifier = plan_experiment_dataset(
            dataset_id, _planner_class(settings.planner), settings.gpu_memory_target_gb,
            overwrite_plans_name=settings.plans_identifier)
        preprocess([dataset_id], plans_identifier, [settings.configuration], [settings.num_processes],
                   verbose=False, show_progress_bar=False)
    else:
        logger.info("Reusing nnU-Net's preprocessed %s (%s); set replan: true to redo it.",
                    dataset_name, plans_identifier)
    plans = PlansManager(str(paths.preprocessed / dataset_name / f"{plans_identifier}.json"))
    configuration = plans.get_configuration(settings.configuration)
    return {
        "dataset_name": dataset_name,
        "plans_identifier": plans_identifier,
        "configuration": settings.configuration,
        "patch_size": [int(v) for v in configuration.patch_size],
        "batch_size": int(configuration.batch_size),
    }

"""Verify, plan and preprocess an nnU-Net raw dataset through nnU-Net's Python API.

This is ``nnUNetv2_plan_and_preprocess -d <ID> -c <configuration> --verify_dataset_integrity``
without the shell: nnU-Net extracts the dataset fingerprint, plans the configuration (patch and
batch size, network topology) and writes the preprocessed arrays to ``nnUNet_preprocessed``.

Two things nnU-Net does not do are added: the preprocessed state is tied to a content digest of
the raw dataset (:mod:`axondeepsynth.nnunet.dataset_digest`), so a changed dataset is re-planned
(or refused) instead of silently reused, and the cross-validation folds (``splits_final.json``)
keep each subject's cases together (:func:`~axondeepsynth.nnunet.subject_split.subject_folds`).
"""

from __future__ import annotations

import inspect
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.imaging.nnunet_layout import discover_nnunet_raw
from axondeepsynth.nnunet.dataset_digest import (
    SPLITS_KEY,
    StaleNnUNetStateError,
    raw_dataset_digest,
    record_digest,
    recorded_digest,
)
from axondeepsynth.nnunet.environment import NnUNetPaths, activate_nnunet_environment
from axondeepsynth.nnunet.integrity import verify_raw_dataset
from axondeepsynth.nnunet.subject_split import subject_folds

logger = logging.getLogger(__name__)


NUM_FOLDS = 5
"""nnU-Net's number of cross-validation folds (fewer when there are fewer subjects)."""
SPLIT_SEED = 12345
"""nnU-Net's seed for its own splits, kept for ours."""
ON_DATASET_CHANGE = ("replan", "stop")


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
        replan: plan and preprocess again even when the preprocessed data are current.
        on_dataset_change: what to do when the raw dataset changed since it was preprocessed:
            ``replan`` (plan, preprocess and retrain its folds) or ``stop`` (raise
            :class:`~axondeepsynth.nnunet.dataset_digest.StaleNnUNetStateError`).
    """

    configuration: str = "2d"
    planner: str = "ExperimentPlanner"
    plans_identifier: str | None = None
    gpu_memory_target_gb: float | None = None
    num_processes: int = 2
    replan: bool = False
    on_dataset_change: str = "replan"

    def __post_init__(self) -> None:
        if self.on_dataset_change not in ON_DATASET_CHANGE:
            raise ValueError(f"segmentation.planning.on_dataset_change must be one of {ON_DATASET_CHANGE}, "
                             f"got '{self.on_dataset_change}'.")


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


def _needs_planning(paths: NnUNetPaths, dataset_dir: Path, plans_identifier: str, settings: PlanningSettings,
                    digest: str) -> bool:
    """True when the dataset must be (re)planned; raises in ``stop`` mode when it changed."""
    preprocessed = paths.preprocessed / dataset_dir.name
    if not _is_preprocessed(paths, dataset_dir.name, plans_identifier, settings.configuration):
        return True
    if recorded_digest(preprocessed, f"{plans_identifier}_{settings.configuration}") == digest:
        return settings.replan
    if settings.on_dataset_change == "stop":
        raise StaleNnUNetStateError(
            f"The raw dataset '{dataset_dir}' changed since it was planned and preprocessed (or its "
            f"preprocessed data in '{preprocessed}' carry no record of what they were made from). Set "
            "segmentation.planning.on_dataset_change: replan to plan, preprocess and retrain it, or restore the "
            "dataset."
        )
    logger.warning("The raw dataset '%s' changed since it was preprocessed: planning and preprocessing it again; "
                   "its folds will be retrained.", dataset_dir)
    return True


def write_subject_splits(paths: NnUNetPaths, dataset_dir: Path, digest: str) -> list[dict[str, list[str]]]:
    """Write ``splits_final.json`` with folds by subject unless the one there was made from ``digest``.

    Subjects come from our export record in ``dataset.json``; cases without one are their own
    subject. With fewer than two subjects nnU-Net's own case-wise split is left to be made.
    """
    preprocessed = paths.preprocessed / dataset_dir.name
    splits_file = preprocessed / SPLITS_KEY
    if splits_file.is_file() and recorded_digest(preprocessed, SPLITS_KEY) == digest:
        return json.loads(splits_file.read_text(encoding="utf-8"))
    training = [r for r in discover_nnunet_raw(dataset_dir, (), "") if r.path.parent.name == "imagesTr"]
    folds = subject_folds({r.sample: r.group for r in training}, NUM_FOLDS, SPLIT_SEED)
    if splits_file.is_file():
        logger.warning("Replacing '%s': it was not made from the current raw dataset '%s'.", splits_file, dataset_dir)
        splits_file.unlink()
    if folds:
        with atomic_file(splits_file) as temp:
            temp.write_text(json.dumps(folds, indent=2), encoding="utf-8")
        logger.info("Wrote %d cross-validation folds by subject to %s.", len(folds), splits_file)
    else:
        logger.warning("'%s' has fewer than two subjects: nnU-Net splits its cases without regard to subject, "
                       "so validation scores are optimistic.", dataset_dir)
    record_digest(preprocessed, SPLITS_KEY, digest)
    return folds


def plan_and_preprocess(base_dir: Path | str, dataset_id: int, settings: PlanningSettings) -> dict:
    """Check, plan and preprocess dataset ``dataset_id`` below ``base_dir``, unless already done for
    exactly this raw content; then write its folds by subject.

    Returns:
        ``{"dataset_name", "plans_identifier", "configuration", "patch_size", "batch_size",
        "raw_dataset_digest", "num_folds"}`` (``num_folds`` 0: nnU-Net makes its own split).

    Raises:
        DatasetNotFoundError, DatasetJsonError, DatasetIntegrityError: the raw dataset is absent
            or fails nnU-Net's integrity check.
        StaleNnUNetStateError: the raw dataset changed and ``on_dataset_change`` is ``stop``.
    """
    paths = activate_nnunet_environment(base_dir, settings.num_processes)
    dataset_dir = find_raw_dataset(paths, dataset_id)
    verify_raw_dataset(dataset_dir, settings.num_processes)
    digest = raw_dataset_digest(dataset_dir)

    from nnunetv2.experiment_planning.plan_and_preprocess_api import (
        extract_fingerprint_dataset,
        plan_experiment_dataset,
        preprocess,
    )
    from nnunetv2.utilities.plans_handling.plans_handler import PlansManager

    from axondeepsynth.nnunet.fingerprint import SampledFingerprintExtractor

    dataset_name = dataset_dir.name
    plans_identifier = settings.plans_identifier or _default_plans_identifier(settings.planner)
    if _needs_planning(paths, dataset_dir, plans_identifier, settings, digest):
        logger.info("Planning and preprocessing %s (%s).", dataset_name, settings.configuration)
        extract_fingerprint_dataset(dataset_id, SampledFingerprintExtractor, settings.num_processes,
                                    check_dataset_integrity=False, clean=True, verbose=False,
                                    show_progress_bar=False)
        _, plans_identifier = plan_experiment_dataset(
            dataset_id, _planner_class(settings.planner), settings.gpu_memory_target_gb,
            overwrite_plans_name=settings.plans_identifier)
        preprocess([dataset_id], plans_identifier, [settings.configuration], [settings.num_processes],
                   verbose=False, show_progress_bar=False)
        record_digest(paths.preprocessed / dataset_name, f"{plans_identifier}_{settings.configuration}", digest)
    else:
        logger.info("Reusing nnU-Net's preprocessed %s (%s): the raw dataset is unchanged since.",
                    dataset_name, plans_identifier)
    folds = write_subject_splits(paths, dataset_dir, digest)
    plans = PlansManager(str(paths.preprocessed / dataset_name / f"{plans_identifier}.json"))
    configuration = plans.get_configuration(settings.configuration)
    return {
        "dataset_name": dataset_name,
        "plans_identifier": plans_identifier,
        "configuration": settings.configuration,
        "patch_size": [int(v) for v in configuration.patch_size],
        "batch_size": int(configuration.batch_size),
        "raw_dataset_digest": digest,
        "num_folds": len(folds),
    }

"""Log the served models into an MLflow run, their weights copied in as run artifacts.

Only what inference needs is packaged: from the nnU-Net model folder ``dataset.json``,
``plans.json`` and each fold's chosen checkpoint (no validation outputs, logs or other
checkpoints); from the SynDiff store the two diffusive generators of one epoch (the
non-diffusive cycle generators only serve training). The loaded model then needs the
``axondeepsynth`` package installed (the model's requirements name it), not the project folder.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import mlflow
from mlflow.models.model import ModelInfo

from axondeepsynth.nnunet.prediction import PredictionSettings, check_folds_trained, model_pixel_size_um
from axondeepsynth.serving.adaptation_model import SYNDIFF_ARTIFACT, AdaptationModel, TranslationConfig
from axondeepsynth.serving.nnunet_segmenter_model import NNUNET_ARTIFACT, NnUNetSegmenterModel, SegmenterConfig
from axondeepsynth.serving.payload import SIGNATURE
from axondeepsynth.syndiff.checkpoints import CheckpointStore

logger = logging.getLogger(__name__)

_REQUIRED_PACKAGES = ("axondeepsynth", "mlflow", "torch", "torchvision", "nnunetv2", "scikit-image", "pandas",
                      "pillow", "openpyxl")
_NNUNET_FILES = ("dataset.json", "plans.json", "dataset_fingerprint.json")


def _requirements() -> list[str]:
    """Pinned requirements of the installed packages the served models import."""
    pins = []
    for name in _REQUIRED_PACKAGES:
        try:
            pins.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            pins.append(name)
    return pins


def package_nnunet_model(model_dir: Path | str, config: SegmenterConfig, destination: Path) -> Path:
    """Copy the inference files of ``model_dir`` (nnU-Net's ``<trainer>__<plans>__<configuration>``
    folder) into ``destination``; raises :class:`~axondeepsynth.nnunet.prediction.FoldNotTrainedError`
    for a fold without the chosen checkpoint."""
    model_dir = Path(model_dir)
    settings: PredictionSettings = config.prediction_settings()
    folds = check_folds_trained(model_dir, list(config.folds), settings.checkpoint_name)
    destination.mkdir(parents=True)
    for name in _NNUNET_FILES:
        if (model_dir / name).is_file():
            shutil.copy2(model_dir / name, destination / name)
    for fold in folds:
        (destination / f"fold_{fold}").mkdir()
        shutil.copy2(model_dir / f"fold_{fold}" / settings.checkpoint_name,
                     destination / f"fold_{fold}" / settings.checkpoint_name)
    return destination


def package_diffusive_generators(store: CheckpointStore, experiment: str, epoch: int | Literal["latest"],
                                 destination: Path) -> int:
    """Copy both diffusive generators of ``epoch`` into a checkpoint store at ``destination``;
    returns the epoch copied (``latest`` resolved)."""
    resolved = int(store.load_generator_file(experiment, "gen_diffusive_1", epoch)["epoch"])
    folder = destination / experiment
    folder.mkdir(parents=True)
    for name in ("gen_diffusive_1", "gen_diffusive_2"):
        source = store.generator_path(experiment, name, resolved)
        shutil.copy2(source, folder / source.name)
    return resolved


def _log(name: str, model: NnUNetSegmenterModel, artifacts: Mapping[str, Path], model_config: dict[str, Any],
         metadata: Mapping[str, Any]) -> ModelInfo:
    """Log one pyfunc model; its metadata adds the pixel size the nnU-Net was trained at."""
    recorded = {**metadata, "trained_pixel_size_um": model_pixel_size_um(artifacts[NNUNET_ARTIFACT])}
    info = mlflow.pyfunc.log_model(
        name=name, python_model=model, artifacts={key: str(path) for key, path in artifacts.items()},
        model_config=model_config, signature=SIGNATURE, pip_requirements=_requirements(), metadata=recorded,
    )
    logger.info("Logged MLflow model %r (%s) in run %s.", name, info.model_uri, info.run_id)
    return info


def log_segmenter_model(name: str, nnunet_model_dir: Path | str, config: SegmenterConfig,
                        metadata: Mapping[str, Any] | None = None) -> ModelInfo:
    """Log nnU-Net alone as the pyfunc model ``name`` in the active MLflow run (one is started if none).

    Args:
        name: the model's name in the run (e.g. ``tutorship_segmenter``).
        nnunet_model_dir: nnU-Net's trained model folder.
        config: folds, checkpoint and prediction settings.
        metadata: free-form facts recorded in the MLmodel file (modality, dataset...).
    """
    with tempfile.TemporaryDirectory() as temp:
        nnunet = package_nnunet_model(nnunet_model_dir, config, Path(temp) / NNUNET_ARTIFACT)
        return _log(name, NnUNetSegmenterModel(), {NNUNET_ARTIFACT: nnunet}, _as_model_config(config),
                    metadata or {})


def log_adaptation_model(name: str, nnunet_model_dir: Path | str, segmenter: SegmenterConfig,
                         checkpoints: CheckpointStore, translation: TranslationConfig,
                         metadata: Mapping[str, Any] | None = None) -> ModelInfo:
    """Log the adaptation path (SynDiff translation, then nnU-Net) as the pyfunc model ``name``.

    ``translation.syndiff_epoch`` may be ``"latest"``; the epoch packaged is recorded instead.
    """
    with tempfile.TemporaryDirectory() as temp:
        nnunet = package_nnunet_model(nnunet_model_dir, segmenter, Path(temp) / NNUNET_ARTIFACT)
        syndiff = Path(temp) / SYNDIFF_ARTIFACT
        epoch = package_diffusive_generators(checkpoints, translation.syndiff_experiment,
                                             translation.syndiff_epoch, syndiff)
        model_config = {**_as_model_config(segmenter), **_as_model_config(translation), "syndiff_epoch": epoch}
        return _log(name, AdaptationModel(), {NNUNET_ARTIFACT: nnunet, SYNDIFF_ARTIFACT: syndiff}, model_config,
                    metadata or {})


def _as_model_config(config: SegmenterConfig | TranslationConfig) -> dict[str, Any]:
    """A config dataclass as the JSON-friendly ``model_config`` MLflow stores (tuples as lists)."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(config).items()}


@dataclass(frozen=True)
class SegmenterSpec:
    """What to log as the nnU-Net-alone model: a node returns it, the catalog's
    :class:`~axondeepsynth.datasets.mlflow_served_model_dataset.MlflowServedModelDataset` logs it."""

    nnunet_model_dir: Path
    segmenter: SegmenterConfig
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def log(self, name: str) -> ModelInfo:
        return log_segmenter_model(name, self.nnunet_model_dir, self.segmenter, self.metadata)


@dataclass(frozen=True)
class AdaptationSpec:
    """What to log as the adaptation model (SynDiff translation, then nnU-Net); see :class:`SegmenterSpec`."""

    nnunet_model_dir: Path
    segmenter: SegmenterConfig
    checkpoints: CheckpointStore
    translation: TranslationConfig
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def log(self, name: str) -> ModelInfo:
        return log_adaptation_model(name, self.nnunet_model_dir, self.segmenter, self.checkpoints,
                                    self.translation, self.metadata)

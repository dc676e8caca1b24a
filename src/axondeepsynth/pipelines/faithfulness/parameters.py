"""Check and parse the ``faithfulness`` parameters into one typed record.

``faithfulness.oracle`` has the shape of the ``segmentation`` parameters block (``nnunet``,
``planning``, ``training``, ``prediction``, ``evaluation``, the same keys) so that an experiment
can hand the oracle arm's segmentation parameters over unchanged. Every error names the
parameter and says what would fix it, before any model or image is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axondeepsynth.evaluation.faithfulness_table import DEFAULT_THRESHOLDS
from axondeepsynth.nnunet.environment import NnUNetPaths
from axondeepsynth.nnunet.prediction import PredictionSettings
from axondeepsynth.nnunet.training import model_dir

PREFIX = "faithfulness"


class FaithfulnessParameterError(ValueError):
    """A ``faithfulness`` parameter is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class OracleModel:
    """Where the oracle's trained nnU-Net folds are and how to predict with them.

    Attributes:
        base_dir: nnU-Net base folder (holds ``nnUNet_results``).
        dataset_id: the oracle's nnU-Net dataset id (trained on real target-modality labels).
        trainer, plans_identifier, configuration: name the results folder
            ``<trainer>__<plans>__<configuration>``; ``plans_identifier`` None takes the only
            plans the trainer was trained with.
        folds: folds whose weights are averaged.
        prediction: nnU-Net prediction settings (checkpoint, mirroring, tile step, device).
    """

    base_dir: Path
    dataset_id: int
    trainer: str
    plans_identifier: str | None
    configuration: str
    folds: tuple[int | str, ...]
    prediction: PredictionSettings

    def model_dir(self) -> Path:
        """The results folder holding ``fold_<k>/``.

        Raises:
            FaithfulnessParameterError: no (or more than one) trained dataset with the id, or
                several plans trained when ``plans_identifier`` is None.
        """
        paths = NnUNetPaths(self.base_dir.resolve())
        dataset = _the_only(
            paths.results.glob(f"Dataset{self.dataset_id:03d}_*"),
            f"{PREFIX}.oracle.nnunet.dataset_id {self.dataset_id}: expected one trained dataset in '{paths.results}'",
            f"train the oracle with the segmentation pipeline or fix {PREFIX}.oracle.nnunet (base_dir, dataset_id)",
        )
        if self.plans_identifier is not None:
            return model_dir(paths, dataset.name, self.trainer, self.plans_identifier, self.configuration)
        return _the_only(
            dataset.glob(f"{self.trainer}__*__{self.configuration}"),
            f"{PREFIX}.oracle: expected one '{self.trainer}__<plans>__{self.configuration}' model in '{dataset}'",
            f"set {PREFIX}.oracle.planning.plans_identifier or fix {PREFIX}.oracle.training.trainer / "
            "planning.configuration",
        )


def _the_only(candidates: Iterable[Path], expectation: str, fix: str) -> Path:
    """The single folder among ``candidates``, else an error saying what was expected, found and the fix."""
    folders = sorted(path for path in candidates if path.is_dir())
    if len(folders) != 1:
        found = ", ".join(path.name for path in folders) or "none"
        raise FaithfulnessParameterError(f"{expectation}, found {found}; {fix}.")
    return folders[0]


@dataclass(frozen=True)
class FaithfulnessParameters:
    """The parsed ``faithfulness`` parameters.

    Attributes:
        translated_dir: the translated folder to evaluate; ``None`` takes the last translation's.
        source_dataset: the labelled dataset the images were translated from (labels of adaptation
            outputs, pixel sizes), or ``None``.
        exclude_dirs: folder names skipped when listing ``source_dataset``.
        pixel_size_um: pixel side (micrometres) for sources of unknown size; ``None``: pixels.
        oracle: the segmentation model of the target modality.
        min_iou, min_axon_area_px: fibre matching (as ``segmentation.evaluation``).
        thresholds: metric -> minimum; images below any are flagged.
        paired_dir: phantom paired renderings for PSNR/SSIM, or ``None``.
        figure_images: rows of the worst-translations figure.
        mlflow_prefix: prefix of the metrics logged to MLflow (distinct per experiment arm).
    """

    translated_dir: Path | None
    source_dataset: Path | None
    exclude_dirs: tuple[str, ...]
    pixel_size_um: float | None
    oracle: OracleModel
    min_iou: float
    min_axon_area_px: int
    thresholds: dict[str, float]
    paired_dir: Path | None
    figure_images: int
    mlflow_prefix: str


def _fail(name: str, message: str) -> FaithfulnessParameterError:
    return FaithfulnessParameterError(f"{PREFIX}.{name} {message}")


def _optional_path(value: Any, name: str, must_exist: bool = True) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, (str, Path)):
        raise _fail(name, f"must be a path or null, got {value!r}.")
    if must_exist and not Path(value).exists():
        raise _fail(name, f"'{value}' does not exist; fix the path or set it to null.")
    return Path(value)


def _integer(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(name, f"must be an integer >= {minimum}, got {value!r}.")
    return value


def _fraction(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _fail(name, f"must be a number in [0, 1], got {value!r}.")
    return float(value)


def _positive_or_none(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _fail(name, f"must be a positive number of micrometres or null, got {value!r}.")
    return float(value)


def _section(params: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = params.get(name) or {}
    if not isinstance(section, Mapping):
        raise _fail(name, f"must be a mapping, got {section!r}.")
    return section


def _folds(oracle: Mapping[str, Any]) -> tuple[int | str, ...]:
    folds = _section(oracle, "prediction").get("folds") or _section(oracle, "training").get("folds") or [0]
    return tuple(folds) if isinstance(folds, (list, tuple)) else (folds,)


def parse_oracle(oracle: Mapping[str, Any]) -> OracleModel:
    """The oracle model from a ``segmentation``-shaped parameters block."""
    nnunet = _section(oracle, "nnunet")
    planning = _section(oracle, "planning")
    training = _section(oracle, "training")
    prediction = _section(oracle, "prediction")
    if nnunet.get("base_dir") is None:
        raise _fail("oracle.nnunet.base_dir", "is required: the nnU-Net folder holding the oracle's nnUNet_results.")
    try:
        settings = PredictionSettings(**{k: v for k, v in prediction.items()
                                         if k in PredictionSettings.__dataclass_fields__})
    except TypeError as error:
        raise _fail("oracle.prediction", f"is invalid ({error}).") from error
    return OracleModel(
        base_dir=Path(nnunet["base_dir"]),
        dataset_id=_integer(nnunet.get("dataset_id"), "oracle.nnunet.dataset_id", 1),
        trainer=str(training.get("trainer") or "nnUNetTrainerAxonDemo"),
        plans_identifier=planning.get("plans_identifier") or None,
        configuration=str(planning.get("configuration") or "2d"),
        folds=_folds(oracle),
        prediction=settings,
    )


def _thresholds(params: Mapping[str, Any]) -> dict[str, float]:
    thresholds = params.get("thresholds")
    if thresholds is None:
        return dict(DEFAULT_THRESHOLDS)
    if not isinstance(thresholds, Mapping):
        raise _fail("thresholds", f"must map metric names to minima, e.g. {DEFAULT_THRESHOLDS}, got {thresholds!r}.")
    return {str(name): _fraction(value, f"thresholds.{name}") for name, value in thresholds.items()}


def parse_faithfulness_parameters(params: Mapping[str, Any], oracle: Mapping[str, Any]) -> FaithfulnessParameters:
    """Parse and check ``params`` (the ``faithfulness`` section) and ``oracle`` (its ``oracle`` block).

    The oracle block comes as its own node input (``params:faithfulness.oracle``) so that an
    experiment can map it onto another pipeline's ``segmentation`` parameters.

    Raises:
        FaithfulnessParameterError: the first invalid parameter, named, with the fix.
    """
    if not isinstance(oracle, Mapping):
        raise _fail("oracle", f"must be a mapping shaped like the segmentation parameters, got {oracle!r}.")
    evaluation = _section(oracle, "evaluation")
    prefix = params.get("mlflow_prefix", PREFIX)
    if not isinstance(prefix, str) or not prefix.strip():
        raise _fail("mlflow_prefix", f"must be a non-empty string, got {prefix!r}.")
    return FaithfulnessParameters(
        translated_dir=_optional_path(params.get("translated_dir"), "translated_dir"),
        source_dataset=_optional_path(params.get("source_dataset"), "source_dataset"),
        exclude_dirs=tuple(params.get("exclude_dirs") or ("derivatives", ".git")),
        pixel_size_um=_positive_or_none(params.get("pixel_size_um"), "pixel_size_um"),
        oracle=parse_oracle(oracle),
        min_iou=_fraction(evaluation.get("min_iou", 0.5), "oracle.evaluation.min_iou"),
        min_axon_area_px=_integer(evaluation.get("min_axon_area_px", 1), "oracle.evaluation.min_axon_area_px", 1),
        thresholds=_thresholds(params),
        paired_dir=_optional_path(params.get("paired_dir"), "paired_dir", must_exist=False),
        figure_images=_integer(params.get("figure_images", 3), "figure_images", 0),
        mlflow_prefix=prefix.strip(),
    )

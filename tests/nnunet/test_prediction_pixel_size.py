"""Prediction at the model's pixel size: a model trained on phantom SEM at 0.1 um/px segments the
same tissue rendered at 0.05 and 0.025 um/px (two and four times the resolution) about as well as
at its own size, because each image is resampled to 0.1 um/px first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.evaluation.overlap import overlap_metrics
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.prediction import (
    PredictionSettings,
    UnknownPixelSizeError,
    load_predictor,
    model_pixel_size_um,
    prediction_scale_factor,
    segment_image,
)
from axondeepsynth.nnunet.training import TrainingSettings, train_fold
from axondeepsynth.phantoms import PhantomConfig
from axondeepsynth.phantoms.collection import PhantomCollection

PARAMETER = "segmentation.prediction.pixel_size_um"
PREDICTION = PredictionSettings(use_mirroring=False, device="cpu")


def _train(export_raw, phantom_root: Path, base: Path, epochs: int, iterations: int) -> tuple[Path, set[str]]:
    """Export the phantom SEM (0.1 um/px) with one subject held out, train fold ``all``."""
    _, test_subjects = export_raw(phantom_root / "sem_bids", base, 521, "PHANTOM_SEM", test_fraction=0.34)
    plan = plan_and_preprocess(base, 521, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    settings = TrainingSettings(num_epochs=epochs, iterations_per_epoch=iterations, val_iterations_per_epoch=1,
                                save_every=100, device="cpu", validate=False)
    fold = train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all", settings, 1)
    return Path(fold["model_dir"]), test_subjects


def _test_tissue(test_subjects: set[str], pixel_size_um: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The held-out subjects' phantoms rendered at ``pixel_size_um`` (same tissue at any pixel size)."""
    base = PhantomConfig.small_for_tests()
    config = PhantomConfig(n_subjects=base.n_subjects, samples_per_subject=base.samples_per_subject,
                           field_of_view_um=base.field_of_view_um,
                           pixel_size_um={"sem": pixel_size_um, "tem": base.pixel_size_um["tem"]})
    collection = PhantomCollection(config)
    subjects = config.subject_ids("sem")
    return [(sample.image, sample.labels)
            for index, subject in enumerate(subjects) if f"sub-{subject}" in test_subjects
            for sample in (collection.render("sem", index, k) for k in range(config.samples_per_subject))]


def _mean_dice(predictor, model_size: float | None, pixel_size_um: float, test_subjects: set[str]) -> float:
    """Mean of axon and myelin Dice; ``model_size`` None predicts without resampling."""
    scores = []
    for image, labels in _test_tissue(test_subjects, pixel_size_um):
        factor = prediction_scale_factor("phantom", pixel_size_um, model_size, PARAMETER)
        predicted = segment_image(predictor, image, factor)
        assert predicted.shape == image.shape
        metrics = overlap_metrics(labels, predicted)
        scores.append((metrics["dice_axon"] + metrics["dice_myelin"]) / 2)
    return float(np.mean(scores))


def test_a_trained_model_records_its_pixel_size_and_masks_come_back_at_image_size(trained_nnunet_dir,
                                                                                 phantom_sem_dataset):
    """The suite's few-second model (tests/conftest.py: right contract, meaningless quality) on its
    held-out subject's tissue rendered at 0.05 um/px."""
    model_dir = trained_nnunet_dir
    test_subjects = {path.name.split("_")[2] for path in (phantom_sem_dataset / "imagesTs").glob("*.png")}
    model_size = model_pixel_size_um(model_dir)
    assert model_size == pytest.approx(0.1)
    activate_nnunet_environment(model_dir.parents[2])
    predictor = load_predictor(model_dir, ["all"], PREDICTION)
    image, _ = _test_tissue(test_subjects, 0.05)[0]
    factor = prediction_scale_factor("phantom at 0.05 um", 0.05, model_size, PARAMETER)
    assert factor == pytest.approx(0.5)
    predicted = segment_image(predictor, image, factor)
    assert predicted.shape == image.shape == (256, 256)
    assert set(np.unique(predicted)) <= {0, 1, 2}


def test_pixel_size_arithmetic_and_the_unknown_size_error():
    assert prediction_scale_factor("a.png", 0.2, 0.1, PARAMETER) == pytest.approx(2.0)
    assert prediction_scale_factor("a.png", 0.1005, 0.1, PARAMETER) == 1.0  # within the sidecar rounding
    assert prediction_scale_factor("a.png", None, None, PARAMETER) == 1.0  # a model of unknown/mixed size
    with pytest.raises(UnknownPixelSizeError, match=r"'a.png' has no known pixel size.*0.1 um/px.*"
                                                    r"segmentation\.prediction\.pixel_size_um"):
        prediction_scale_factor("a.png", None, 0.1, PARAMETER)


@pytest.mark.slow
def test_same_tissue_at_twice_the_resolution_scores_like_the_training_resolution(export_raw, phantom_root, tmp_path):
    model_dir, test_subjects = _train(export_raw, phantom_root, tmp_path / "nnunet", epochs=12, iterations=25)
    predictor = load_predictor(model_dir, ["all"], PREDICTION)
    same_size = _mean_dice(predictor, 0.1, 0.1, test_subjects)
    figures = {f"{size} um/px {'resampled' if model else 'as given'}": _mean_dice(predictor, model, size, test_subjects)
               for size in (0.05, 0.025) for model in (0.1, None)}
    print(f"mean Dice (axon, myelin): at 0.1 um/px {same_size:.3f};",
          ", ".join(f"{name} {value:.3f}" for name, value in figures.items()))
    assert same_size > 0.6
    assert figures["0.05 um/px resampled"] > same_size - 0.05
    # at four times the resolution the model's axons are four times too large unless resampled
    assert figures["0.025 um/px resampled"] > same_size - 0.05
    assert figures["0.025 um/px as given"] < figures["0.025 um/px resampled"] - 0.05


def test_images_of_another_modality_are_taken_at_their_working_pixel_size():
    """The no-adaptation arm: a SEM model (0.15 um/px) on TEM at its working pixel size (0.0236 um/px)."""
    assert prediction_scale_factor("tem.png", 0.0236, 0.15, PARAMETER, "tem", "sem") == 1.0
    assert prediction_scale_factor("sem.png", 0.075, 0.15, PARAMETER, "SEM", "sem") == pytest.approx(0.5)
    assert prediction_scale_factor("tem.png", None, 0.15, PARAMETER, "tem", "sem") == 1.0

"""Per-arm morphometric agreement on real SEM ground truth: identical maps agree exactly, and a
prediction whose axons swallow one pixel of myelin shows the bias a reader would see."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy.ndimage import binary_dilation

from axondeepsynth.evaluation.morphometric_agreement import (
    agreement_table,
    arm_morphometrics,
    bland_altman,
)
from axondeepsynth.evaluation.morphometric_agreement_figure import agreement_figure
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.imaging.sources import discover_images


@pytest.fixture(scope="module")
def ground_truth(real_data_dir: Path) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    records = discover_images(real_data_dir / "sem_bids", modality="sem")[:2]
    return ({r.sample: read_label_map(r.label_path) for r in records}, {r.sample: r.pixel_size_um for r in records})


def _axons_grown_by_one_pixel(labels: np.ndarray) -> np.ndarray:
    """Axons dilated by one pixel into their myelin: larger axons, thinner myelin, higher g-ratio."""
    grown = labels.copy()
    grown[binary_dilation(labels == 2) & (labels == 1)] = 2
    return grown


def test_identical_maps_agree_exactly(ground_truth):
    references, sizes = ground_truth
    arm = arm_morphometrics(references, references, sizes, min_axon_area_px=4)
    summary = agreement_table({"same": arm}).loc["same"]
    assert arm.unit == "um" and summary["matched_fibres"] == len(arm.reference) > 50
    for quantity in ("g_ratio", "axon_diameter"):
        assert summary[f"{quantity}_bias"] == 0 and summary[f"{quantity}_ks"] == 0
    assert summary["aggregate_g_ratio_mae"] == 0


def test_grown_axons_show_a_positive_g_ratio_and_diameter_bias(ground_truth):
    references, sizes = ground_truth
    predictions = {name: _axons_grown_by_one_pixel(labels) for name, labels in references.items()}
    arms = {"grown": arm_morphometrics(references, predictions, sizes, min_axon_area_px=4)}
    summary = agreement_table(arms).loc["grown"]
    assert summary["g_ratio_bias"] > 0.02 and summary["axon_diameter_bias"] > 0
    assert summary["g_ratio_lower"] < summary["g_ratio_bias"] < summary["g_ratio_upper"]
    assert summary["g_ratio_mean_predicted"] > summary["g_ratio_mean_reference"]
    assert (arms["grown"].per_image["aggregate_g_ratio_error"] > 0).all()
    assert summary["aggregate_g_ratio_mae"] == pytest.approx(arms["grown"].per_image["aggregate_g_ratio_error"].mean())
    figure = agreement_figure(arms)
    assert isinstance(figure, Figure) and len(figure.axes) == 4


def test_images_without_pixel_size_are_measured_in_pixels(ground_truth):
    references, _ = ground_truth
    arm = arm_morphometrics(references, references, {name: None for name in references}, min_axon_area_px=4)
    assert arm.unit == "px"


def test_bland_altman_of_known_differences():
    agreement = bland_altman(np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.5, 3.5]))
    assert agreement == {"bias": 0.5, "lower": 0.5, "upper": 0.5}
    assert np.isnan(bland_altman(np.empty(0), np.empty(0))["bias"])

import math

import numpy as np
import pytest

from axondeepsynth.evaluation.morphometric_comparison import compare_segmentations
from axondeepsynth.evaluation.morphometrics import (
    aggregate_g_ratio,
    axon_morphometrics,
    image_morphometrics,
)


def test_disk_in_ring_gives_its_diameters_thickness_and_g_ratio(fibre_field):
    labels = fibre_field((120, 120), [((60, 60), 20, 30)])
    table = axon_morphometrics(labels)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["axon_diameter"] == pytest.approx(40, abs=1.0)
    assert row["fibre_diameter"] == pytest.approx(60, abs=1.0)
    assert row["myelin_thickness"] == pytest.approx(10, abs=1.0)
    assert row["g_ratio"] == pytest.approx(20 / 30, abs=0.02)
    assert row["unit"] == "px" and not row["touches_border"]


def test_pixel_size_turns_pixels_into_micrometres_and_gives_density(fibre_field):
    labels = fibre_field((100, 100), [((30, 30), 10, 15), ((70, 70), 10, 15)])
    table = axon_morphometrics(labels, pixel_size_um=0.1)
    assert table["axon_diameter"].tolist() == pytest.approx([2.0, 2.0], abs=0.1)
    summary = image_morphometrics(labels, pixel_size_um=0.1)
    # two axons in 10 um x 10 um = 1e-4 mm^2
    assert summary["axon_density_per_mm2"] == pytest.approx(2 / 1e-4)
    assert math.isnan(image_morphometrics(labels)["axon_density_per_mm2"])


def test_touching_fibres_split_their_myelin_and_keep_their_own_g_ratio(fibre_field):
    # fibres of radius 15 with centres 28 px apart: their myelin rings overlap
    labels = fibre_field((60, 100), [((30, 30), 10, 15), ((30, 58), 8, 15)])
    table = axon_morphometrics(labels).sort_values("centroid_col")
    assert table["axon_diameter"].tolist() == pytest.approx([20, 16], abs=1.0)
    assert table["g_ratio"].iloc[0] == pytest.approx(10 / 15, abs=0.05)
    assert table["fibre_area"].sum() == pytest.approx(np.count_nonzero(labels), abs=0)


def test_aggregate_g_ratio_is_the_root_of_the_axon_area_fraction(fibre_field):
    labels = fibre_field((200, 200), [((50, 50), 20, 30), ((140, 140), 10, 25)])
    axon = np.count_nonzero(labels == 2)
    assert aggregate_g_ratio(labels) == pytest.approx(math.sqrt(axon / np.count_nonzero(labels)))
    assert aggregate_g_ratio(fibre_field((120, 120), [((60, 60), 20, 30)])) == pytest.approx(20 / 30, abs=0.02)


def test_comparison_of_a_thinner_myelin_prediction(fibre_field):
    reference = fibre_field((120, 240), [((60, 60), 20, 30), ((60, 180), 20, 30)])
    prediction = fibre_field((120, 240), [((60, 60), 20, 25), ((60, 180), 20, 25)])
    result = compare_segmentations(reference, prediction, pixel_size_um=None)
    assert result["axon_sensitivity"] == 1.0 and result["axon_precision"] == 1.0
    assert result["dice_axon"] == 1.0 and result["dice_myelin"] < 1.0
    assert result["g_ratio_mae"] == pytest.approx(20 / 25 - 20 / 30, abs=0.02)
    assert result["myelin_thickness_mae"] == pytest.approx(5, abs=1.0)
    assert result["aggregate_g_ratio_error"] == pytest.approx(20 / 25 - 20 / 30, abs=0.02)
    assert math.isnan(result["axon_density_error_per_mm2"])


def test_the_same_tissue_at_two_pixel_sizes_measures_the_same_in_micrometres():
    from axondeepsynth.phantoms import PhantomConfig
    from axondeepsynth.phantoms.collection import PhantomCollection

    summaries = {}
    for size in (0.1, 0.05):
        config = PhantomConfig(n_subjects=1, samples_per_subject=1, field_of_view_um=25.6,
                               pixel_size_um={"sem": size, "tem": size})
        labels = PhantomCollection(config).render("sem", 0, 0).labels
        summaries[size] = (image_morphometrics(labels, pixel_size_um=size), image_morphometrics(labels))
    (coarse_um, coarse_px), (fine_um, fine_px) = summaries[0.1], summaries[0.05]
    assert fine_px["mean_axon_diameter"] == pytest.approx(2 * coarse_px["mean_axon_diameter"], rel=0.05)
    for key in ("mean_axon_diameter", "mean_myelin_thickness", "axon_density_per_mm2"):
        assert fine_um[key] == pytest.approx(coarse_um[key], rel=0.05), key
    assert fine_um["aggregate_g_ratio"] == pytest.approx(coarse_um["aggregate_g_ratio"], abs=0.02)

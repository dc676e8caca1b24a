"""Faithfulness metrics and the per-image table on real SEM masks and phantom label maps.

A "translation" is simulated at the label level: the oracle's prediction is the carried label
map itself (a perfect translation), the map with one fibre erased, or the map shifted by a few
pixels (a translation that moved the tissue).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axondeepsynth.evaluation.axon_objects import label_axons
from axondeepsynth.evaluation.faithfulness import FAITHFULNESS_COLUMNS, faithfulness_of_image
from axondeepsynth.evaluation.faithfulness_table import (
    DEFAULT_THRESHOLDS,
    faithfulness_score,
    faithfulness_table,
    flag_unfaithful,
    summarise_faithfulness,
)
from axondeepsynth.evaluation.morphometrics import fibre_regions
from axondeepsynth.imaging.image_io import read_label_map

SEM_MASK = "sem_bids/derivatives/labels/sub-rat3/micr/sub-rat3_sample-data10_SEM_seg-axonmyelin-manual.png"


@pytest.fixture(scope="module")
def sem_labels(real_data_dir: Path) -> np.ndarray:
    """A 200 x 200 px crop of a real manually labelled SEM mask (0/1/2)."""
    return read_label_map(real_data_dir / SEM_MASK)[100:300, 100:300]


@pytest.fixture(scope="module")
def phantom_labels(phantom_root: Path) -> dict[str, np.ndarray]:
    """The label maps of the phantom SEM samples, by sample name."""
    folder = phantom_root / "sem_bids" / "derivatives" / "labels"
    return {path.name.split("_SEM")[0]: read_label_map(path)
            for path in sorted(folder.rglob("*_seg-axonmyelin-manual.png"))}


def _erase_fibre(labels: np.ndarray) -> np.ndarray:
    """``labels`` without its largest fibre away from the border (axon and its own myelin)."""
    axons = label_axons(labels)
    fibres = fibre_regions(labels, axons)
    areas = np.bincount(axons.ravel())
    areas[0] = 0
    touching = np.unique(np.concatenate([axons[0], axons[-1], axons[:, 0], axons[:, -1]]))
    areas[touching] = 0
    erased = labels.copy()
    erased[fibres == int(np.argmax(areas))] = 0
    return erased


def _shift(labels: np.ndarray, rows: int) -> np.ndarray:
    """``labels`` moved down by ``rows`` pixels, background entering at the top."""
    shifted = np.zeros_like(labels)
    shifted[rows:] = labels[:-rows]
    return shifted


def _direct_dice(reference: np.ndarray, prediction: np.ndarray, value: int) -> float:
    a, b = reference == value, prediction == value
    return 2 * np.count_nonzero(a & b) / (np.count_nonzero(a) + np.count_nonzero(b))


def test_an_identical_translation_is_perfectly_faithful(sem_labels):
    metrics = faithfulness_of_image(sem_labels, sem_labels.copy(), pixel_size_um=0.1)
    assert set(metrics) == set(FAITHFULNESS_COLUMNS)
    for key in ("dice_myelin", "dice_axon", "iou_myelin", "iou_axon", "axon_precision", "axon_recall"):
        assert metrics[key] == 1.0, key
    assert metrics["fibres_invented"] == 0 and metrics["fibres_lost"] == 0
    assert metrics["fibres_matched"] == metrics["num_axons_carried"] == label_axons(sem_labels).max() > 10
    assert metrics["g_ratio_mae"] == 0 and metrics["axon_diameter_mae"] == 0 and metrics["aggregate_g_ratio_error"] == 0


@pytest.mark.parametrize("source", ["real", "phantom"])
def test_erasing_one_fibre_loses_exactly_one(source, sem_labels, phantom_labels):
    carried = sem_labels if source == "real" else phantom_labels["sub-01_sample-01"]
    metrics = faithfulness_of_image(carried, _erase_fibre(carried))
    n = label_axons(carried).max()
    assert metrics["num_axons_carried"] == n and metrics["num_axons_predicted"] == n - 1
    assert metrics["axon_recall"] == (n - 1) / n
    assert metrics["fibres_lost"] == 1 and metrics["fibres_invented"] == 0 and metrics["axon_precision"] == 1.0
    assert metrics["dice_axon"] < 1.0 and metrics["dice_myelin"] < 1.0
    # the fibres that remain are untouched, so are their morphometrics
    assert metrics["g_ratio_mae"] == 0 and metrics["axon_diameter_mae"] == 0


def test_erasing_one_fibre_the_other_way_round_invents_one(phantom_labels):
    carried = phantom_labels["sub-02_sample-01"]
    metrics = faithfulness_of_image(_erase_fibre(carried), carried)
    n = label_axons(carried).max()
    assert metrics["fibres_invented"] == 1 and metrics["fibres_lost"] == 0
    assert metrics["axon_precision"] == (n - 1) / n and metrics["axon_recall"] == 1.0


def test_shifting_lowers_dice_as_the_shifted_overlap_says(sem_labels):
    dice_by_shift = []
    for rows in (1, 3, 6):
        shifted = _shift(sem_labels, rows)
        metrics = faithfulness_of_image(sem_labels, shifted)
        assert metrics["dice_myelin"] == pytest.approx(_direct_dice(sem_labels, shifted, 1), abs=1e-12)
        assert metrics["dice_axon"] == pytest.approx(_direct_dice(sem_labels, shifted, 2), abs=1e-12)
        dice_by_shift.append((metrics["dice_myelin"], metrics["dice_axon"]))
    assert dice_by_shift[0] > dice_by_shift[1] > dice_by_shift[2]
    assert all(myelin < 1.0 and axon < 1.0 for myelin, axon in dice_by_shift)


def test_diameter_errors_are_in_micrometres_when_the_pixel_size_is_known(sem_labels):
    shifted = _shift(sem_labels, 2)
    in_pixels = faithfulness_of_image(sem_labels, shifted)
    in_um = faithfulness_of_image(sem_labels, shifted, pixel_size_um=0.05)
    assert in_pixels["axon_diameter_mae"] > 0
    assert in_um["axon_diameter_mae"] == pytest.approx(0.05 * in_pixels["axon_diameter_mae"])
    assert in_um["g_ratio_mae"] == pytest.approx(in_pixels["g_ratio_mae"])


def test_a_translation_of_another_size_is_refused(sem_labels):
    with pytest.raises(ValueError, match="keep the source image's size"):
        faithfulness_of_image(sem_labels, sem_labels[:-1])


@pytest.fixture(scope="module")
def scored_table(phantom_labels) -> pd.DataFrame:
    """Phantom images 'translated' perfectly, with one fibre lost, and shifted by 6 pixels."""
    names = list(phantom_labels)
    predictions = {names[0]: phantom_labels[names[0]].copy(), names[1]: _erase_fibre(phantom_labels[names[1]]),
                   names[2]: _shift(phantom_labels[names[2]], 6)}
    rows = [{"image": name, **faithfulness_of_image(phantom_labels[name], prediction)}
            for name, prediction in predictions.items()]
    return faithfulness_table(reversed(rows))


def test_table_has_one_sorted_row_per_image(scored_table, phantom_labels):
    assert list(scored_table["image"]) == sorted(phantom_labels)[:3]
    assert list(scored_table.columns[:len(FAITHFULNESS_COLUMNS) + 1]) == ["image", *FAITHFULNESS_COLUMNS]
    with pytest.raises(ValueError, match="repeat the image name"):
        faithfulness_table([{"image": "a", "dice_axon": 1.0}, {"image": "a", "dice_axon": 0.5}])


def test_thresholds_flag_the_right_images_and_warn(scored_table, caplog):
    perfect, one_lost, shifted = scored_table["image"]
    rows = scored_table.set_index("image")
    # one fibre of ~25 lost keeps every default metric above its threshold; 6 px breaks all
    assert 0.95 < rows.loc[one_lost, "axon_recall"] < 0.99 and rows.loc[one_lost, "dice_axon"] > 0.9
    assert rows.loc[shifted, "dice_myelin"] < 0.9 and rows.loc[shifted, "axon_recall"] < 0.95
    with caplog.at_level(logging.WARNING):
        assert flag_unfaithful(scored_table) == [shifted]
    assert shifted in caplog.text and one_lost not in caplog.text and "dice_myelin" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert flag_unfaithful(scored_table, {"axon_recall": 0.99}) == [one_lost, shifted]
    assert one_lost in caplog.text and perfect not in caplog.text
    assert flag_unfaithful(scored_table, {"dice_axon": 0.0}) == []
    with pytest.raises(KeyError, match="unknown metric"):
        flag_unfaithful(scored_table, {"dice_nucleus": 0.5})


def test_an_image_without_axons_on_either_side_is_not_flagged(phantom_labels):
    empty = np.zeros_like(next(iter(phantom_labels.values())))
    table = faithfulness_table([{"image": "blank", **faithfulness_of_image(empty, empty)}])
    assert math.isnan(table.loc[0, "axon_recall"]) and math.isnan(table.loc[0, "dice_axon"])
    assert flag_unfaithful(table) == []
    assert math.isnan(faithfulness_score(table.loc[0], DEFAULT_THRESHOLDS))


def test_summary_means_totals_and_unfaithful_images(scored_table):
    summary = summarise_faithfulness(scored_table)
    assert summary["images"] == 3
    assert summary["mean_dice_axon"] == pytest.approx(scored_table["dice_axon"].mean())
    assert summary["total_fibres_lost"] == scored_table["fibres_lost"].sum() >= 1
    assert summary["unfaithful_images"] == len(summary["unfaithful"]) == len(flag_unfaithful(scored_table))
    assert summary["thresholds"] == DEFAULT_THRESHOLDS

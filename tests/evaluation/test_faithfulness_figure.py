"""The worst-translations figure and the bounded keeper of the worst examples, on phantom images."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from kedro_datasets.matplotlib import MatplotlibDataset

from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample, WorstExamples
from axondeepsynth.evaluation.faithfulness_figure import (
    COLUMNS,
    INVENTED_RGB,
    LOST_RGB,
    SWAPPED_RGB,
    difference_overlay,
    worst_translations_figure,
)
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map


@pytest.fixture(scope="module")
def phantom_examples(phantom_root: Path) -> list[FaithfulnessExample]:
    """SEM phantoms 'translated' into their paired TEM renderings; the 'oracle' sees the tissue
    moved by 0, 2, 4... pixels (scores made up to rank them)."""
    examples = []
    labels_dir = phantom_root / "sem_bids" / "derivatives" / "labels"
    for index, label_path in enumerate(sorted(labels_dir.rglob("*_seg-axonmyelin-manual.png"))):
        name = label_path.name.split("_SEM")[0]
        carried = read_label_map(label_path)
        moved = np.zeros_like(carried)
        moved[2 * index:] = carried[:carried.shape[0] - 2 * index]
        examples.append(FaithfulnessExample(
            name=name, score=1.0 - 0.1 * index,
            source=read_grayscale(next((phantom_root / "sem_bids").rglob(f"{name}_SEM.png"))),
            translation=read_grayscale(phantom_root / "paired" / "sem" / f"{name}_TEM.png"),
            carried_labels=carried, oracle_prediction=moved,
        ))
    return examples


def test_difference_overlay_colours_invented_lost_and_swapped_pixels(phantom_examples):
    example = phantom_examples[3]
    carried, predicted = example.carried_labels, example.oracle_prediction
    overlay = difference_overlay(carried, predicted, example.translation)
    assert overlay.shape == (*carried.shape, 3) and overlay.dtype == np.uint8
    invented = (predicted > 0) & (carried == 0)
    lost = (carried > 0) & (predicted == 0)
    swapped = (carried > 0) & (predicted > 0) & (carried != predicted)
    assert invented.any() and lost.any() and swapped.any()
    for mask, colour in ((invented, INVENTED_RGB), (lost, LOST_RGB), (swapped, SWAPPED_RGB)):
        assert (overlay[mask] == colour).all()
    agree = carried == predicted
    assert (overlay[agree] == (example.translation[agree] // 2)[:, None]).all()
    with pytest.raises(ValueError, match="differ in shape"):
        difference_overlay(carried, predicted[1:])


def test_worst_examples_keeps_the_lowest_scores_worst_first(phantom_examples):
    worst = WorstExamples(3)
    for example in phantom_examples:
        worst.add(example)
    kept = worst.worst_first()
    assert [e.name for e in kept] == [e.name for e in phantom_examples[::-1][:3]]
    assert not worst.would_keep(2.0) and worst.would_keep(0.0)
    undefined = FaithfulnessExample(**{**phantom_examples[0].__dict__, "name": "nan", "score": math.nan})
    worst.add(undefined)
    assert "nan" not in [e.name for e in worst.worst_first()]
    assert WorstExamples(0).would_keep(-1.0) is False


def test_figure_has_one_row_per_example_and_saves_as_png(phantom_examples, tmp_path):
    figure = worst_translations_figure(phantom_examples[:3], "Least faithful sem -> tem")
    axes = figure.get_axes()
    assert len(axes) == 3 * len(COLUMNS)
    assert phantom_examples[2].name in axes[2 * len(COLUMNS)].get_title()
    assert figure._suptitle.get_text() == "Least faithful sem -> tem"
    MatplotlibDataset(filepath=str(tmp_path / "worst.png")).save(figure)
    assert read_grayscale(tmp_path / "worst.png").shape[1] > 500


def test_figure_without_examples_says_so():
    figure = worst_translations_figure([], "tutorship")
    assert "no translated image" in figure.get_axes()[0].texts[0].get_text()

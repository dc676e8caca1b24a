"""The faithfulness figure shows the trust maps beside the oracle's differences when examples have them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample
from axondeepsynth.evaluation.faithfulness_figure import COLUMNS, TRUST_COLUMNS, worst_translations_figure
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map


def test_trust_columns_are_added_and_drawn(phantom_root: Path) -> None:
    label_path = sorted((phantom_root / "sem_bids" / "derivatives" / "labels").rglob("*_seg-axonmyelin-manual.png"))[0]
    name = label_path.name.split("_SEM")[0]
    source = read_grayscale(next((phantom_root / "sem_bids").rglob(f"{name}_SEM.png")))
    translation = read_grayscale(phantom_root / "paired" / "sem" / f"{name}_TEM.png")
    labels = read_label_map(label_path)
    spread = np.abs(translation.astype(np.float32) - source.astype(np.float32)) / 4
    with_trust = FaithfulnessExample(name, 0.5, source, translation, labels, labels, spread, spread * 2)
    without = FaithfulnessExample(name + "_plain", 0.9, source, translation, labels, labels)

    figure = worst_translations_figure([with_trust, without], "trust")
    columns = len(COLUMNS) + len(TRUST_COLUMNS)
    axes = figure.get_axes()
    assert len(axes) == 2 * columns
    assert axes[len(COLUMNS)].get_title() == TRUST_COLUMNS[0]
    np.testing.assert_array_equal(axes[len(COLUMNS)].get_images()[0].get_array(), spread)
    assert not np.asarray(axes[columns + len(COLUMNS)].get_images()[0].get_array()).any()  # no maps: blank
    assert len(worst_translations_figure([without], "plain").get_axes()) == len(COLUMNS)

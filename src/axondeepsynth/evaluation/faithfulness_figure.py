"""A figure of the least faithful translations, with where the oracle disagrees with the carried labels.

One row per image: the source, its translation, the oracle's segmentation of the translation, the
labels the translation carries, and the disagreements drawn over the translation: red where the
oracle sees fibre (myelin or axon) the labels call background (invented), blue where the labels
hold fibre the oracle does not see (lost), yellow where both see fibre but disagree on myelin vs
axon. When the translations have trust maps, two more panels show where the translator was
unsure (spread over noise draws) and where the round trip did not come home (cycle error).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample

INVENTED_RGB = (255, 0, 0)
LOST_RGB = (0, 102, 255)
SWAPPED_RGB = (255, 215, 0)
LABEL_COLOURS = ListedColormap(["black", "#d9d9d9", "#1b9e77"])  # background, myelin, axon
COLUMNS = ("source", "translation", "oracle prediction", "carried labels",
           "differences\nred invented, blue lost, yellow swapped")
TRUST_COLUMNS = ("spread over noise draws\n(grey levels)", "cycle error\n(grey levels)")
"""Added when the examples carry trust maps (:mod:`~axondeepsynth.translation.trust_map`)."""
TRUST_STYLE = {"cmap": "magma", "vmin": 0}


def difference_overlay(carried_labels: np.ndarray, oracle_prediction: np.ndarray,
                       background: np.ndarray | None = None) -> np.ndarray:
    """RGB uint8 image of the disagreements between two label maps (0/1/2).

    Pixels where the maps agree show ``background`` (a uint8 grayscale image, dimmed to half so
    the colours stand out; black when ``None``); disagreements get :data:`INVENTED_RGB`,
    :data:`LOST_RGB` or :data:`SWAPPED_RGB`.
    """
    if carried_labels.shape != oracle_prediction.shape:
        raise ValueError(f"label maps differ in shape: {carried_labels.shape} vs {oracle_prediction.shape}.")
    grey = np.zeros(carried_labels.shape, np.uint8) if background is None else (background // 2).astype(np.uint8)
    overlay = np.repeat(grey[..., None], 3, axis=2)
    invented = (oracle_prediction > 0) & (carried_labels == 0)
    lost = (carried_labels > 0) & (oracle_prediction == 0)
    swapped = (carried_labels > 0) & (oracle_prediction > 0) & (carried_labels != oracle_prediction)
    for mask, colour in ((invented, INVENTED_RGB), (lost, LOST_RGB), (swapped, SWAPPED_RGB)):
        overlay[mask] = colour
    return overlay


def worst_translations_figure(examples: Sequence[FaithfulnessExample], title: str) -> Figure:
    """One row per example (least faithful first) with the panels of :data:`COLUMNS`.

    An empty ``examples`` gives a small figure saying so, so that a run always has its artifact.
    """
    if not examples:
        figure = Figure(figsize=(4, 1))
        axis = figure.subplots()
        axis.axis("off")
        axis.text(0.5, 0.5, f"{title}: no translated image", ha="center", va="center")
        return figure
    with_trust = any(example.spread is not None for example in examples)
    columns = COLUMNS + TRUST_COLUMNS if with_trust else COLUMNS
    figure = Figure(figsize=(2.6 * len(columns), 2.8 * len(examples)), constrained_layout=True)
    axes = figure.subplots(len(examples), len(columns), squeeze=False)
    for row, example in zip(axes, examples):
        panels = (
            (example.source, {"cmap": "gray", "vmin": 0, "vmax": 255}),
            (example.translation, {"cmap": "gray", "vmin": 0, "vmax": 255}),
            (example.oracle_prediction, {"cmap": LABEL_COLOURS, "vmin": 0, "vmax": 2, "interpolation": "nearest"}),
            (example.carried_labels, {"cmap": LABEL_COLOURS, "vmin": 0, "vmax": 2, "interpolation": "nearest"}),
            (difference_overlay(example.carried_labels, example.oracle_prediction, example.translation),
             {"interpolation": "nearest"}),
        )
        if with_trust:
            blank = np.zeros(example.translation.shape, np.float32)
            panels += tuple((blank if trust is None else trust, TRUST_STYLE)
                            for trust in (example.spread, example.cycle_error))
        for index, (axis, column, (image, style)) in enumerate(zip(row, columns, panels)):
            axis.imshow(image, **style)
            axis.set_title(column if index else f"{example.name} (score {example.score:.3f})\n{column}", fontsize=7)
            axis.axis("off")
    figure.suptitle(title)
    return figure

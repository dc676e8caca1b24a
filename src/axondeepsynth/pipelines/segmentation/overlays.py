"""A figure of a few segmented images: prediction and ground truth drawn over the micrograph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

# RGBA per class: myelin yellow, axon cyan, half transparent.
_CLASS_COLOURS = {1: (1.0, 0.85, 0.0, 0.45), 2: (0.0, 0.8, 1.0, 0.45)}


def _class_layer(labels: np.ndarray) -> np.ndarray:
    layer = np.zeros((*labels.shape, 4), dtype=np.float32)
    for value, colour in _CLASS_COLOURS.items():
        layer[labels == value] = colour
    return layer


def overlay_figure(panels: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]]) -> Figure:
    """One row per image: the prediction, then the ground truth (when there is one), over the image.

    Args:
        panels: ``(name, image uint8 HxW, predicted labels, reference labels or None)``.
    """
    rows = max(1, len(panels))
    figure = Figure(figsize=(8, 4 * rows), constrained_layout=True)
    axes = figure.subplots(rows, 2, squeeze=False)
    for row, (name, image, predicted, reference) in enumerate(panels):
        for column, (labels, title) in enumerate(((predicted, "prediction"), (reference, "ground truth"))):
            axis = axes[row, column]
            axis.set_axis_off()
            if labels is None:
                continue
            axis.imshow(image, cmap="gray", vmin=0, vmax=255)
            axis.imshow(_class_layer(labels))
            axis.set_title(f"{name}: {title}", fontsize=8)
    return figure

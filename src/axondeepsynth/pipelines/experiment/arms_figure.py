"""One held-out target image under every arm: what each arm saw, predicted, and the truth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map  # noqa: E402
from axondeepsynth.imaging.nnunet_layout import case_name  # noqa: E402

LABEL_COLOURS = ListedColormap(["black", "tab:blue", "gold"])
"""Background, myelin, axon."""


def shared_case(cases_by_arm: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The first case (by name) that every arm segmented, or None."""
    keys = [{case_name(name) for name in cases} for cases in cases_by_arm.values()]
    common = set.intersection(*keys) if keys else set()
    return min(common) if common else None


def _lookup(mapping: Mapping[str, Any], key: str) -> Any:
    return next(value for name, value in mapping.items() if case_name(name) == key)


def arms_figure(masks_by_arm: Mapping[str, Mapping[str, np.ndarray]],
                cases_by_arm: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Figure:
    """Rows: arms; columns: the image the arm segmented, its prediction, the ground truth."""
    key = shared_case(cases_by_arm)
    arms = list(masks_by_arm)
    figure, axes = plt.subplots(len(arms), 3, figsize=(9, 3 * len(arms)), squeeze=False)
    for row, arm in enumerate(arms):
        if key is None:
            axes[row, 0].set_title(f"{arm}: no image shared by all arms")
            continue
        case = _lookup(cases_by_arm[arm], key)
        prediction = _lookup(masks_by_arm[arm], key)
        axes[row, 0].imshow(read_grayscale(case["image"]), cmap="gray")
        axes[row, 0].set_title(f"{arm}: input ({key})", fontsize=9)
        axes[row, 1].imshow(prediction, cmap=LABEL_COLOURS, vmin=0, vmax=2, interpolation="nearest")
        axes[row, 1].set_title("prediction", fontsize=9)
        if case.get("label"):
            axes[row, 2].imshow(read_label_map(case["label"]), cmap=LABEL_COLOURS, vmin=0, vmax=2,
                                interpolation="nearest")
        axes[row, 2].set_title("ground truth (myelin blue, axon yellow)", fontsize=9)
    for axis in axes.ravel():
        axis.axis("off")
    figure.tight_layout()
    return figure

"""The experiment report's morphometrics figure: per arm, distributions and Bland-Altman agreement.

One row per arm, four panels: g-ratio and axon diameter histograms of every axon (reference in
grey, the arm's prediction in colour, same bins), then Bland-Altman plots on matched fibres
(difference predicted - reference against their mean, bias and 95 % limits as lines).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from axondeepsynth.evaluation.morphometric_agreement import ArmMorphometrics, bland_altman

_LABELS = {"g_ratio": "g-ratio", "axon_diameter": "axon diameter"}


def _histogram(axes: Axes, arm: ArmMorphometrics, quantity: str, unit: str) -> None:
    reference = arm.reference[quantity].dropna().to_numpy() if len(arm.reference) else np.empty(0)
    predicted = arm.predicted[quantity].dropna().to_numpy() if len(arm.predicted) else np.empty(0)
    values = np.concatenate([reference, predicted])
    bins = np.histogram_bin_edges(values, bins=20) if values.size else 20
    axes.hist(reference, bins=bins, color="0.6", alpha=0.7, label=f"reference (n={reference.size})")
    axes.hist(predicted, bins=bins, color="tab:blue", alpha=0.6, label=f"predicted (n={predicted.size})")
    axes.set_xlabel(f"{_LABELS[quantity]}{unit}")
    axes.set_ylabel("axons")
    axes.legend(fontsize=7)


def _bland_altman(axes: Axes, arm: ArmMorphometrics, quantity: str, unit: str) -> None:
    reference = arm.matched[f"{quantity}_reference"].to_numpy(dtype=float)
    predicted = arm.matched[f"{quantity}_predicted"].to_numpy(dtype=float)
    axes.scatter((reference + predicted) / 2, predicted - reference, s=6, color="tab:blue", alpha=0.6)
    agreement = bland_altman(reference, predicted)
    for key, style in (("bias", "-"), ("lower", "--"), ("upper", "--")):
        if np.isfinite(agreement[key]):
            axes.axhline(agreement[key], color="tab:red", linestyle=style, linewidth=1)
    axes.axhline(0.0, color="0.5", linewidth=0.5)
    axes.set_xlabel(f"mean {_LABELS[quantity]}{unit} (matched fibres, n={reference.size})")
    axes.set_ylabel("predicted - reference")


def agreement_figure(arms: Mapping[str, ArmMorphometrics]) -> Figure:
    """Four panels per arm (see the module docstring); an arm without axons shows empty panels."""
    figure = Figure(figsize=(16, 3.2 * max(1, len(arms))), layout="constrained")
    grid = figure.subplots(max(1, len(arms)), 4, squeeze=False)
    for row, (name, arm) in zip(grid, arms.items()):
        unit = " (um)" if arm.unit == "um" else " (px)"
        _histogram(row[0], arm, "g_ratio", "")
        _histogram(row[1], arm, "axon_diameter", unit)
        _bland_altman(row[2], arm, "g_ratio", "")
        _bland_altman(row[3], arm, "axon_diameter", unit)
        row[0].set_title(f"{name}: g-ratio", loc="left", fontsize=10)
        row[1].set_title(f"{name}: axon diameter", loc="left", fontsize=10)
        row[2].set_title(f"{name}: g-ratio agreement", loc="left", fontsize=10)
        row[3].set_title(f"{name}: diameter agreement", loc="left", fontsize=10)
    return figure

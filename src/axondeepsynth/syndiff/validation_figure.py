"""The validation figure: source, translation and cycle reconstruction, both directions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from axondeepsynth.syndiff.validation import ValidationResult  # noqa: E402

COLUMNS = ("source", "translation", "cycle")


def make_validation_figure(result: ValidationResult, epoch: int, max_examples: int = 4) -> Figure:
    """A grid with one row per example crop and, per direction, the columns of :data:`COLUMNS`.

    Images are shown in grey on their [-1, 1] range, so contrast changes between epochs are
    visible rather than normalised away.
    """
    directions = list(result.examples)
    rows = min(max_examples, min(len(ex.source) for ex in result.examples.values()))
    figure, axes = plt.subplots(rows, len(COLUMNS) * len(directions), squeeze=False,
                                figsize=(2.0 * len(COLUMNS) * len(directions), 2.0 * rows))
    for d, name in enumerate(directions):
        examples = result.examples[name]
        for c, column in enumerate(COLUMNS):
            for r in range(rows):
                axis = axes[r, d * len(COLUMNS) + c]
                axis.imshow(getattr(examples, column)[r], cmap="gray", vmin=-1, vmax=1)
                axis.set_xticks([])
                axis.set_yticks([])
                if r == 0:
                    axis.set_title(f"{name}\n{column}", fontsize=8)
    figure.suptitle(f"SynDiff validation, epoch {epoch}")
    figure.tight_layout()
    return figure


def placeholder_figure(message: str) -> Figure:
    """A small figure carrying only ``message``, for runs that produced no validation."""
    figure, axis = plt.subplots(figsize=(4, 1))
    axis.axis("off")
    axis.text(0.5, 0.5, message, ha="center", va="center")
    return figure

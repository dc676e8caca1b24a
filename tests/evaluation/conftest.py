"""Hand-built label maps of ideal fibres (a disk of axon inside a ring of myelin) with known geometry."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.draw import disk


def draw_fibre(labels: np.ndarray, center: tuple[float, float], axon_radius: float, fibre_radius: float) -> None:
    """Paint myelin out to ``fibre_radius`` and axon out to ``axon_radius`` (pixels) around ``center``."""
    labels[disk(center, fibre_radius, shape=labels.shape)] = 1
    labels[disk(center, axon_radius, shape=labels.shape)] = 2


def _fibre_field(shape: tuple[int, int], fibres: list[tuple[tuple[float, float], float, float]]) -> np.ndarray:
    """A label map holding the given (center, axon radius, fibre radius) fibres."""
    labels = np.zeros(shape, dtype=np.uint8)
    for center, axon_radius, fibre_radius in fibres:
        draw_fibre(labels, center, axon_radius, fibre_radius)
    return labels


@pytest.fixture
def fibre_field():
    """``fibre_field(shape, [(center, axon_radius, fibre_radius), ...])`` -> uint8 label map."""
    return _fibre_field

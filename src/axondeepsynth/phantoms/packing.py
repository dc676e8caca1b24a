"""Pack fibres into a field without overlap: random sequential addition with contact moves.

Each new fibre tries random positions, half of them uniform over the field and half touching a
fibre already placed (which packs far denser than uniform tries alone). A position is free when
no point of either outline lies inside the other fibre grown by ``MIN_GAP_UM``; bounding and
inscribed circles settle most pairs without looking at the outlines. Fibre centres may lie up to
half a radius outside the field so that the border cuts some of them, as in a real image.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from axondeepsynth.phantoms.fibre import Fibre

MIN_GAP_UM = 0.04
"""Smallest extracellular gap kept between two fibres."""
PLACEMENT_TRIES = 60
"""Positions tried per fibre before it is dropped."""
OUTLINE_POINTS = 48
"""Points per outline for the exact overlap test."""


def _enters(fibre: Fibre, points: np.ndarray) -> bool:
    """True when any of ``points`` (x, y um) lies inside ``fibre`` enlarged by the gap."""
    grown = (1.0 + MIN_GAP_UM / fibre.inner_radius) / fibre.g_ratio
    return bool(np.any(fibre.normalised_radius(points[:, 0], points[:, 1]) <= grown))


class FibrePacker:
    """Places fibres one by one in a ``field_of_view_um`` square; ``fibres`` holds those placed."""

    def __init__(self, field_of_view_um: float, rng: np.random.Generator) -> None:
        self.size = field_of_view_um
        self.rng = rng
        self.fibres: list[Fibre] = []
        self._centres = np.empty((0, 2))
        self._outer = np.empty(0)
        self._inner = np.empty(0)
        self._outlines: list[np.ndarray] = []

    def _candidates(self, radius: float) -> np.ndarray:
        margin = 0.5 * radius
        uniform = self.rng.uniform(-margin, self.size + margin, size=(PLACEMENT_TRIES, 2))
        if not self.fibres:
            return uniform
        anchors = self.rng.integers(0, len(self.fibres), PLACEMENT_TRIES)
        angle = self.rng.uniform(0, 2 * np.pi, PLACEMENT_TRIES)
        reach = 0.5 * (self._outer[anchors] + self._inner[anchors]) + radius + MIN_GAP_UM
        touching = self._centres[anchors] + reach[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        in_field = np.all((touching >= -margin) & (touching <= self.size + margin), axis=1)
        use_touching = (np.arange(PLACEMENT_TRIES) % 2 == 0) & in_field
        return np.where(use_touching[:, None], touching, uniform)

    def _is_free(self, fibre: Fibre, outline: np.ndarray) -> bool:
        if not self.fibres:
            return True
        distance = np.hypot(self._centres[:, 0] - fibre.x, self._centres[:, 1] - fibre.y)
        if np.any(distance < self._inner + fibre.inner_radius + MIN_GAP_UM):
            return False
        unsure = np.flatnonzero(distance < self._outer + fibre.outer_radius + MIN_GAP_UM)
        return not any(_enters(self.fibres[i], outline) or _enters(fibre, self._outlines[i]) for i in unsure)

    def place(self, fibre: Fibre) -> bool:
        """Move ``fibre`` (its x, y are ignored) to a free position and keep it; False if none found."""
        reach = 0.5 * (fibre.outer_radius + fibre.inner_radius)
        centred = dataclasses.replace(fibre, x=0.0, y=0.0).outline(OUTLINE_POINTS)
        for x, y in self._candidates(reach):
            moved = dataclasses.replace(fibre, x=float(x), y=float(y))
            outline = centred + [x, y]
            if self._is_free(moved, outline):
                self.fibres.append(moved)
                self._outlines.append(outline)
                self._centres = np.vstack([self._centres, [x, y]])
                self._outer = np.append(self._outer, moved.outer_radius)
                self._inner = np.append(self._inner, moved.inner_radius)
                return True
        return False

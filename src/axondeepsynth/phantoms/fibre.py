"""One nerve fibre (an axon, with or without its myelin sheath) and a field of them, in micrometres.

An axon is an ellipse whose outline wobbles gently (low Fourier orders; real axons are rarely
convex ellipses). The myelin sheath's outer boundary is the axon outline scaled by
``1 / g_ratio`` about the centre, so the area-based g-ratio, sqrt(axon area / fibre area), equals
``g_ratio`` exactly whatever the shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WOBBLE_ORDERS = (2, 3, 4)
"""Fourier orders of the outline wobble."""


@dataclass(frozen=True)
class Fibre:
    """One fibre. Centre and semi-axes in micrometres; ``angle`` in radians (major axis vs x).

    ``g_ratio`` is 1.0 for an unmyelinated axon (no myelin sheath). ``wobble`` holds
    (amplitude, phase) per order in ``WOBBLE_ORDERS``: the outline's radius is multiplied by
    1 + sum(amplitude * cos(order * t - phase)) at elliptical angle t.
    """

    x: float
    y: float
    semi_major: float
    semi_minor: float
    angle: float
    g_ratio: float
    wobble: tuple[tuple[float, float], ...] = ()

    @property
    def myelinated(self) -> bool:
        return self.g_ratio < 1.0

    @property
    def axon_diameter(self) -> float:
        """Area-equivalent axon diameter (an ellipse's; the wobble changes it by < 1 %), micrometres."""
        return 2.0 * math.sqrt(self.semi_major * self.semi_minor)

    @property
    def _wobble_bound(self) -> float:
        return sum(abs(a) for a, _ in self.wobble)

    @property
    def outer_radius(self) -> float:
        """Radius of a circle about the centre that contains the whole fibre, micrometres."""
        return self.semi_major * (1.0 + self._wobble_bound) / self.g_ratio

    @property
    def inner_radius(self) -> float:
        """Radius of a circle about the centre that the whole fibre contains, micrometres."""
        return self.semi_minor * (1.0 - self._wobble_bound) / self.g_ratio

    def _wobble_factor(self, t: np.ndarray) -> np.ndarray | float:
        return 1.0 + sum(a * np.cos(k * t - phase) for k, (a, phase) in zip(WOBBLE_ORDERS, self.wobble))

    def normalised_radius(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Radius of points (micrometres) in the fibre's own units: 1 on the axon outline, 1/g on
        the outer myelin outline, 0 at the centre."""
        dx, dy = x - self.x, y - self.y
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        u = (dx * cos + dy * sin) / self.semi_major
        v = (-dx * sin + dy * cos) / self.semi_minor
        return np.sqrt(u**2 + v**2) / self._wobble_factor(np.arctan2(v, u))

    def outline(self, n_points: int) -> np.ndarray:
        """(n_points, 2) x, y points on the fibre's outer outline, micrometres."""
        t = np.linspace(0.0, 2 * math.pi, n_points, endpoint=False)
        scale = self._wobble_factor(t) / self.g_ratio
        u = self.semi_major * np.cos(t) * scale
        v = self.semi_minor * np.sin(t) * scale
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        return np.stack([self.x + u * cos - v * sin, self.y + u * sin + v * cos], axis=1)


@dataclass(frozen=True)
class TissueSample:
    """The fibres of one square field of view, origin at its top-left corner, x right, y down."""

    field_of_view_um: float
    fibres: tuple[Fibre, ...]

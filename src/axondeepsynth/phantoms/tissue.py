"""The tissue model: non-overlapping elliptical fibres in a square field, in micrometres.

Each fibre is an elliptical axon; a myelinated fibre is wrapped in a myelin annulus whose outer
boundary is the axon ellipse scaled by ``1 / g_ratio``, so the area-based g-ratio
(sqrt(axon area / fibre area)) equals ``g_ratio`` exactly. Fibres are packed by random sequential
addition, largest first, using each fibre's bounding circle plus a small gap: two fibres can never
overlap, and most are separated by a visible sliver of extracellular space. Some fibres are
centred near the border so they are cut by it, as in any real field of view.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from axondeepsynth.phantoms.config import PhantomConfig

logger = logging.getLogger(__name__)

MIN_GAP_UM = 0.04
"""Smallest distance between the bounding circles of two fibres."""
PLACEMENT_TRIES = 40
"""Random positions tried per fibre before it is dropped."""
UNMYELINATED_DIAMETER_UM = (0.5, 0.3, 0.2, 1.0)
"""(median, log sigma, min, max) of unmyelinated axon diameters: thinner than myelinated ones."""


@dataclass(frozen=True)
class Fibre:
    """One fibre. Centre and semi-axes in micrometres; ``angle`` in radians (major axis vs x).

    ``g_ratio`` is 1.0 for an unmyelinated axon (no myelin annulus).
    """

    x: float
    y: float
    semi_major: float
    semi_minor: float
    angle: float
    g_ratio: float

    @property
    def myelinated(self) -> bool:
        return self.g_ratio < 1.0

    @property
    def outer_radius(self) -> float:
        """Radius of the bounding circle of the whole fibre (axon + myelin), micrometres."""
        return self.semi_major / self.g_ratio

    @property
    def axon_diameter(self) -> float:
        """Area-equivalent axon diameter, micrometres."""
        return 2.0 * math.sqrt(self.semi_major * self.semi_minor)

    def normalised_radius(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Elliptical radius of points (micrometres): 1 on the axon boundary, 1/g on the outer one."""
        dx, dy = x - self.x, y - self.y
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        u = dx * cos + dy * sin
        v = -dx * sin + dy * cos
        return np.sqrt((u / self.semi_major) ** 2 + (v / self.semi_minor) ** 2)


@dataclass(frozen=True)
class TissueSample:
    """The fibres of one field of view (``field_of_view_um`` square, origin at the top-left)."""

    field_of_view_um: float
    fibres: tuple[Fibre, ...]


def _log_normal(rng: np.random.Generator, median: float, sigma: float, low: float, high: float, n: int) -> np.ndarray:
    return np.clip(median * np.exp(sigma * rng.standard_normal(n)), low, high)


def _ellipse_axes(diameters: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Semi-axes with the given area-equivalent diameters and minor/major ratios in [0.7, 1]."""
    ratio = rng.uniform(0.7, 1.0, diameters.size)
    radius = diameters / 2.0
    return radius / np.sqrt(ratio), radius * np.sqrt(ratio)


class _Packer:
    """Random sequential addition of circles in a field whose border fibres may stick out."""

    def __init__(self, field_of_view_um: float, rng: np.random.Generator) -> None:
        self.size = field_of_view_um
        self.rng = rng
        self.centres = np.empty((0, 2))
        self.radii = np.empty(0)

    def place(self, radius: float) -> tuple[float, float] | None:
        """A free centre for a circle of ``radius`` (its centre may lie up to half a radius
        outside the field), or None when every try collides."""
        margin = 0.5 * radius
        candidates = self.rng.uniform(-margin, self.size + margin, size=(PLACEMENT_TRIES, 2))
        if self.radii.size:
            gaps = np.linalg.norm(candidates[:, None, :] - self.centres[None, :, :], axis=2)
            free = np.all(gaps >= radius + self.radii[None, :] + MIN_GAP_UM, axis=1)
        else:
            free = np.ones(PLACEMENT_TRIES, dtype=bool)
        if not free.any():
            return None
        centre = candidates[int(np.argmax(free))]
        self.centres = np.vstack([self.centres, centre])
        self.radii = np.append(self.radii, radius)
        return float(centre[0]), float(centre[1])


def _place_fibres(packer: _Packer, diameters: np.ndarray, g_ratios: np.ndarray, rng: np.random.Generator) -> list[Fibre]:
    """Place fibres largest first (small ones fill the gaps); a fibre with no free spot is dropped."""
    order = np.argsort(-diameters / g_ratios)
    semi_major, semi_minor = _ellipse_axes(diameters[order], rng)
    angles = rng.uniform(0.0, math.pi, diameters.size)
    fibres: list[Fibre] = []
    for a, b, angle, g in zip(semi_major, semi_minor, angles, g_ratios[order], strict=True):
        centre = packer.place(a / g)
        if centre is not None:
            fibres.append(Fibre(centre[0], centre[1], float(a), float(b), float(angle), float(g)))
    return fibres


def _draw_until_area(
    rng: np.random.Generator, config: PhantomConfig, median: float, area_budget: float
) -> tuple[np.ndarray, np.ndarray]:
    """Axon diameters and g-ratios (unsorted draws) whose fibre areas just reach ``area_budget`` um^2."""
    diameters: list[float] = []
    g_ratios: list[float] = []
    area = 0.0
    while area < area_budget:
        d = float(_log_normal(rng, median, config.axon_diameter_sigma, *config.axon_diameter_range_um, 1)[0])
        g = float(rng.uniform(*config.g_ratio_range))
        diameters.append(d)
        g_ratios.append(g)
        area += math.pi / 4 * (d / g) ** 2
    return np.array(diameters), np.array(g_ratios)


def generate_tissue(config: PhantomConfig, rng: np.random.Generator, diameter_scale: float = 1.0) -> TissueSample:
    """Pack myelinated fibres to ``config.fibre_density``, then unmyelinated axons into the gaps.

    Args:
        config: geometry parameters (micrometres).
        rng: the only source of randomness, so a seeded generator reproduces the tissue.
        diameter_scale: multiplies the median axon diameter (subject-to-subject variation).
    """
    area_budget = config.fibre_density * config.field_of_view_um**2
    diameters, g_ratios = _draw_until_area(rng, config, config.axon_diameter_median_um * diameter_scale, area_budget)
    packer = _Packer(config.field_of_view_um, rng)
    myelinated = _place_fibres(packer, diameters, g_ratios, rng)
    if len(myelinated) < diameters.size:
        logger.debug("Placed %d of %d myelinated fibres (field full).", len(myelinated), diameters.size)

    n_unmyelinated = round(len(myelinated) * config.unmyelinated_fraction / (1.0 - config.unmyelinated_fraction))
    thin = _log_normal(rng, *UNMYELINATED_DIAMETER_UM, n_unmyelinated)
    unmyelinated = _place_fibres(packer, thin, np.ones(n_unmyelinated), rng)
    if len(unmyelinated) < n_unmyelinated:
        logger.debug("Placed %d of %d unmyelinated axons (field full).", len(unmyelinated), n_unmyelinated)
    return TissueSample(config.field_of_view_um, tuple(myelinated + unmyelinated))

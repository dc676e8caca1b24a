"""Draw the fibres of one tissue sample from the configured distributions and pack them.

Myelinated fibres (log-normal axon diameters, uniform g-ratios) are drawn until their area
reaches ``fibre_density`` of the field and packed largest first; unmyelinated axons, thinner,
then fill the gaps. Every number comes from the ``rng`` passed in, so a seed reproduces a sample.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from axondeepsynth.phantoms.config import PhantomConfig
from axondeepsynth.phantoms.fibre import WOBBLE_ORDERS, Fibre, TissueSample
from axondeepsynth.phantoms.packing import FibrePacker

logger = logging.getLogger(__name__)

UNMYELINATED_DIAMETER_UM = (0.5, 0.3, 0.2, 1.0)
"""(median, log sigma, min, max) of unmyelinated axon diameters: thinner than myelinated ones."""
MAX_WOBBLE = 0.18
"""Largest total outline wobble (fraction of the radius)."""
AXIS_RATIO_RANGE = (0.65, 1.0)
"""Minor / major axis ratios of the axon ellipses."""


def _log_normal(rng: np.random.Generator, median: float, sigma: float, low: float, high: float, n: int) -> np.ndarray:
    return np.clip(median * np.exp(sigma * rng.standard_normal(n)), low, high)


def _draw_until_area(
    rng: np.random.Generator, config: PhantomConfig, median: float, area_budget: float
) -> tuple[np.ndarray, np.ndarray]:
    """Axon diameters and g-ratios (in draw order) whose fibre areas just reach ``area_budget`` um^2."""
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


def _shapes(diameters: np.ndarray, g_ratios: np.ndarray, rng: np.random.Generator) -> list[Fibre]:
    """Unplaced fibres (centre 0, 0) with the given area-equivalent axon diameters, largest first."""
    order = np.argsort(-diameters / g_ratios)
    n = diameters.size
    ratio = rng.uniform(*AXIS_RATIO_RANGE, n)
    radius = diameters[order] / 2.0
    angles = rng.uniform(0.0, math.pi, n)
    amplitudes = rng.uniform(0.0, MAX_WOBBLE / len(WOBBLE_ORDERS), (n, len(WOBBLE_ORDERS)))
    phases = rng.uniform(0.0, 2 * math.pi, (n, len(WOBBLE_ORDERS)))
    return [
        Fibre(0.0, 0.0, float(radius[i] / math.sqrt(ratio[i])), float(radius[i] * math.sqrt(ratio[i])),
              float(angles[i]), float(g_ratios[order][i]),
              tuple((float(a), float(p)) for a, p in zip(amplitudes[i], phases[i], strict=True)))
        for i in range(n)
    ]


def _pack(packer: FibrePacker, fibres: list[Fibre], kind: str) -> None:
    placed = sum(packer.place(fibre) for fibre in fibres)
    if placed < len(fibres):
        logger.debug("Placed %d of %d %s fibres (field full).", placed, len(fibres), kind)


def generate_tissue(config: PhantomConfig, rng: np.random.Generator, diameter_scale: float = 1.0) -> TissueSample:
    """Pack myelinated fibres to ``config.fibre_density``, then unmyelinated axons into the gaps.

    Args:
        config: geometry parameters (micrometres).
        rng: the only source of randomness, so a seeded generator reproduces the tissue.
        diameter_scale: multiplies the median axon diameter (subject-to-subject variation).
    """
    area_budget = config.fibre_density * config.field_of_view_um**2
    median = config.axon_diameter_median_um * diameter_scale
    diameters, g_ratios = _draw_until_area(rng, config, median, area_budget)
    packer = FibrePacker(config.field_of_view_um, rng)
    _pack(packer, _shapes(diameters, g_ratios, rng), "myelinated")
    n_myelinated = len(packer.fibres)
    n_unmyelinated = round(n_myelinated * config.unmyelinated_fraction / (1.0 - config.unmyelinated_fraction))
    thin = _log_normal(rng, *UNMYELINATED_DIAMETER_UM, n_unmyelinated)
    _pack(packer, _shapes(thin, np.ones(n_unmyelinated), rng), "unmyelinated")
    return TissueSample(config.field_of_view_um, tuple(packer.fibres))

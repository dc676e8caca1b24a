"""The tissue geometry: reproducible from a seed, non-overlapping, with the configured fibres."""

from __future__ import annotations

import numpy as np
from skimage.measure import label, regionprops

from axondeepsynth.phantoms import PhantomConfig
from axondeepsynth.phantoms.rasterise import AXON, rasterise_tissue
from axondeepsynth.phantoms.tissue import generate_tissue

FINE_PIXEL_UM = 0.02


def test_same_seed_gives_same_tissue_and_other_seed_differs(phantom_config: PhantomConfig) -> None:
    first = generate_tissue(phantom_config, np.random.default_rng(7))
    again = generate_tissue(phantom_config, np.random.default_rng(7))
    other = generate_tissue(phantom_config, np.random.default_rng(8))
    assert first == again
    assert first.fibres != other.fibres


def test_fibres_never_overlap(phantom_config: PhantomConfig) -> None:
    tissue = generate_tissue(phantom_config, np.random.default_rng(1))
    side = phantom_config.image_shape(FINE_PIXEL_UM)[0]
    centres = (np.arange(side) + 0.5) * FINE_PIXEL_UM
    count = np.zeros((side, side), np.int32)
    for fibre in tissue.fibres:
        rows = np.abs(centres - fibre.y) <= fibre.outer_radius
        cols = np.abs(centres - fibre.x) <= fibre.outer_radius
        inside = fibre.normalised_radius(centres[None, cols], centres[rows, None]) <= 1.0 / fibre.g_ratio
        count[np.ix_(rows, cols)] += inside
    assert count.max() == 1
    assert 0.5 < (count > 0).mean() < 0.8, "fibres should be densely packed like nerve tissue"


def test_fibre_population_matches_config(phantom_config: PhantomConfig) -> None:
    fibres = [f for seed in range(3) for f in generate_tissue(phantom_config, np.random.default_rng(seed)).fibres]
    myelinated = [f for f in fibres if f.myelinated]
    low, high = phantom_config.axon_diameter_range_um
    assert all(low <= f.axon_diameter <= high for f in myelinated)
    g_low, g_high = phantom_config.g_ratio_range
    assert all(g_low <= f.g_ratio <= g_high for f in myelinated)
    unmyelinated_share = 1 - len(myelinated) / len(fibres)
    assert abs(unmyelinated_share - phantom_config.unmyelinated_fraction) < 0.05
    size = phantom_config.field_of_view_um
    assert any(min(f.x, f.y) < f.outer_radius or max(f.x, f.y) > size - f.outer_radius for f in fibres), \
        "some fibres must be cut by the image border"


def _measured_g_ratios(labels: np.ndarray) -> list[float]:
    """sqrt(axon area / fibre area) of every fibre (a connected axon+myelin region holding one
    axon of at least 100 px) that the border does not cut."""
    fibres = label(labels > 0)
    g_ratios = []
    for region in regionprops(fibres, intensity_image=labels):
        top, left, bottom, right = region.bbox
        touches_border = top == 0 or left == 0 or bottom == labels.shape[0] or right == labels.shape[1]
        axon = region.image_intensity == AXON
        if touches_border or axon.sum() < 100 or label(axon).max() != 1:
            continue
        g_ratios.append(float(np.sqrt(axon.sum() / region.area)))
    return g_ratios


def test_g_ratio_measured_on_label_map_is_in_range(phantom_config: PhantomConfig) -> None:
    shape = phantom_config.image_shape(FINE_PIXEL_UM)
    g_ratios = []
    for seed in (2, 3):
        tissue = generate_tissue(phantom_config, np.random.default_rng(seed))
        g_ratios += _measured_g_ratios(rasterise_tissue(tissue, FINE_PIXEL_UM, shape).labels)
    assert len(g_ratios) >= 20
    g_low, g_high = phantom_config.g_ratio_range
    assert np.all((np.array(g_ratios) > g_low - 0.03) & (np.array(g_ratios) < g_high + 0.03))

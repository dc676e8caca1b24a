"""Building the eight networks: independent directions, lookup by class name, total size."""

from __future__ import annotations

import logging

import pytest

from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.networks import (
    NCSNppGenerator,
    PatchGANDiscriminator,
    build_network,
    build_networks,
)

logger = logging.getLogger(__name__)

ORIGINAL_TOTAL_PARAMETERS = 156e6
"""All eight networks of the original code at the published configuration (BASELINES.md)."""


def test_both_directions_are_separate_networks_of_the_same_shape() -> None:
    networks = build_networks(preset("tiny").model)
    assert len(networks.as_dict()) == 8
    assert set(networks.generators()) == {"gen_diffusive_1", "gen_diffusive_2",
                                          "gen_non_diffusive_1to2", "gen_non_diffusive_2to1"}
    assert set(networks.discriminators()) == {"disc_diffusive_1", "disc_diffusive_2",
                                              "disc_non_diffusive_1", "disc_non_diffusive_2"}
    first, second = networks.gen_diffusive_1, networks.gen_diffusive_2
    assert [p.shape for p in first.parameters()] == [p.shape for p in second.parameters()]
    shared = {id(p) for p in first.parameters()} & {id(p) for p in second.parameters()}
    assert not shared
    assert isinstance(networks.disc_non_diffusive_2, PatchGANDiscriminator)


def test_networks_are_rebuilt_by_class_name() -> None:
    config = preset("tiny").model
    generator = build_network("NCSNppGenerator", config)
    assert isinstance(generator, NCSNppGenerator)
    generator.load_state_dict(NCSNppGenerator(config).state_dict())
    with pytest.raises(ValueError, match="NCSNpp"):
        build_network("NCSNpp", config)


def test_default_preset_matches_the_original_total_size() -> None:
    count = build_networks(preset("default").model).parameter_count()
    logger.info("default preset: %.1f M parameters in eight networks (original %.0f M)",
                count / 1e6, ORIGINAL_TOTAL_PARAMETERS / 1e6)
    assert abs(count - ORIGINAL_TOTAL_PARAMETERS) / ORIGINAL_TOTAL_PARAMETERS < 0.10

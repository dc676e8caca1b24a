"""Builds the eight SynDiff networks from one `ModelConfig`.

Naming follows docs/ARCHITECTURE.md: a generator "1" produces contrast1 (its input comes from
contrast2), a generator "2" produces contrast2; discriminator "1"/"2" judges contrast1/contrast2.
Each direction is the same constructor called twice.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from torch import nn

from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks.ncsnpp_generator import NCSNppGenerator
from axondeepsynth.syndiff.networks.patchgan_discriminator import PatchGANDiscriminator
from axondeepsynth.syndiff.networks.resnet_generator import ResnetGenerator
from axondeepsynth.syndiff.networks.time_conditioned_discriminator import (
    TimeConditionedDiscriminator,
)

logger = logging.getLogger(__name__)

NETWORK_CLASSES: dict[str, type[nn.Module]] = {
    cls.__name__: cls
    for cls in (NCSNppGenerator, TimeConditionedDiscriminator, ResnetGenerator,
                PatchGANDiscriminator)
}


def build_network(class_name: str, config: ModelConfig) -> nn.Module:
    """One network by class name (as stored in a checkpoint's "network" field)."""
    if class_name not in NETWORK_CLASSES:
        raise ValueError(f"unknown SynDiff network class {class_name!r}; expected one of "
                         f"{sorted(NETWORK_CLASSES)}")
    return NETWORK_CLASSES[class_name].from_config(config)  # type: ignore[attr-defined]


@dataclass
class SynDiffNetworks:
    """The eight networks of one SynDiff model (two translation directions)."""

    gen_diffusive_1: NCSNppGenerator
    gen_diffusive_2: NCSNppGenerator
    gen_non_diffusive_1to2: ResnetGenerator
    gen_non_diffusive_2to1: ResnetGenerator
    disc_diffusive_1: TimeConditionedDiscriminator
    disc_diffusive_2: TimeConditionedDiscriminator
    disc_non_diffusive_1: PatchGANDiscriminator
    disc_non_diffusive_2: PatchGANDiscriminator

    def as_dict(self) -> dict[str, nn.Module]:
        """Field name -> network, in declaration order (checkpoint keys, optimiser loops)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def generators(self) -> dict[str, nn.Module]:
        return {name: net for name, net in self.as_dict().items() if name.startswith("gen_")}

    def discriminators(self) -> dict[str, nn.Module]:
        return {name: net for name, net in self.as_dict().items() if name.startswith("disc_")}

    def parameter_count(self) -> int:
        return sum(p.numel() for net in self.as_dict().values() for p in net.parameters())


def build_networks(config: ModelConfig) -> SynDiffNetworks:
    """Fresh, independently initialised networks for both directions."""
    networks = SynDiffNetworks(
        gen_diffusive_1=NCSNppGenerator(config),
        gen_diffusive_2=NCSNppGenerator(config),
        gen_non_diffusive_1to2=ResnetGenerator.from_config(config),
        gen_non_diffusive_2to1=ResnetGenerator.from_config(config),
        disc_diffusive_1=TimeConditionedDiscriminator(config),
        disc_diffusive_2=TimeConditionedDiscriminator(config),
        disc_non_diffusive_1=PatchGANDiscriminator.from_config(config),
        disc_non_diffusive_2=PatchGANDiscriminator.from_config(config),
    )
    logger.info("built SynDiff networks for %d px tiles: %.1f M parameters",
                config.image_size, networks.parameter_count() / 1e6)
    return networks

"""The eight SynDiff networks (plain PyTorch, no custom CUDA ops) and their factory."""

from axondeepsynth.syndiff.networks.factory import (
    NETWORK_CLASSES,
    SynDiffNetworks,
    build_network,
    build_networks,
)
from axondeepsynth.syndiff.networks.ncsnpp_generator import NCSNppGenerator
from axondeepsynth.syndiff.networks.patchgan_discriminator import PatchGANDiscriminator
from axondeepsynth.syndiff.networks.resnet_generator import ResnetGenerator
from axondeepsynth.syndiff.networks.time_conditioned_discriminator import (
    TimeConditionedDiscriminator,
)

__all__ = [
    "NETWORK_CLASSES",
    "NCSNppGenerator",
    "PatchGANDiscriminator",
    "ResnetGenerator",
    "SynDiffNetworks",
    "TimeConditionedDiscriminator",
    "build_network",
    "build_networks",
]

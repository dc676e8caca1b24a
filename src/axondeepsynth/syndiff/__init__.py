"""SynDiff (adversarial diffusion for unpaired image translation) in plain PyTorch, no Kedro.

`config` holds the knobs and presets, `networks` the eight networks; diffusion, training,
sampling and checkpoints live in sibling modules.
"""

from axondeepsynth.syndiff.config import (
    PRESETS,
    ConfigError,
    DiffusionConfig,
    ModelConfig,
    OptimizationConfig,
    SynDiffConfig,
    preset,
)

__all__ = [
    "PRESETS",
    "ConfigError",
    "DiffusionConfig",
    "ModelConfig",
    "OptimizationConfig",
    "SynDiffConfig",
    "preset",
]

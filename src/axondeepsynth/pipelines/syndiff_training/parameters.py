"""Parse the ``syndiff_training`` parameters into the model configuration and run settings.

Unknown keys are refused (a typo would otherwise silently train with a default), and every
error names the parameter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from axondeepsynth.syndiff.config import ConfigError, SynDiffConfig, preset
from axondeepsynth.syndiff.training_run import TrainingSettings

PREFIX = "syndiff_training"
CONFIG_SECTIONS = {"model_config": "model", "diffusion_config": "diffusion", "optimization_config": "optimization"}
LAUNCH_KEYS = ("device", "devices", "world_size")


@dataclass(frozen=True)
class LaunchSettings:
    """Where training runs: ``device`` (auto/cpu/cuda), GPU ``devices`` and CPU ``world_size``."""

    device: str = "auto"
    devices: tuple[int, ...] = (0,)
    world_size: int = 1


@dataclass(frozen=True)
class TrainingParameters:
    config: SynDiffConfig
    settings: TrainingSettings
    launch: LaunchSettings


def parse_training_parameters(params: Mapping[str, Any]) -> TrainingParameters:
    """Build the typed settings from ``params:syndiff_training``.

    ``preset`` (``tiny`` or ``default``) gives the starting configuration; ``model_config``,
    ``diffusion_config`` and ``optimization_config`` override its fields.
    """
    run_keys = {f.name for f in dataclasses.fields(TrainingSettings)}
    known = run_keys | set(CONFIG_SECTIONS) | set(LAUNCH_KEYS) | {"preset"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ConfigError(f"unknown {PREFIX} parameter(s) {unknown}; valid keys are {sorted(known)}.")
    overrides = {section: dict(params.get(key) or {}) for key, section in CONFIG_SECTIONS.items()}
    config = preset(params.get("preset", "tiny"), overrides)
    missing = [k for k in ("experiment_name", "contrast1", "contrast2") if not params.get(k)]
    if missing:
        raise ConfigError(f"{PREFIX}.{missing[0]} must be set (a non-empty string).")
    if params["contrast1"] == params["contrast2"]:
        raise ConfigError(f"{PREFIX}.contrast1 and contrast2 must differ, both are {params['contrast1']!r}.")
    settings = TrainingSettings(**{k: v for k, v in params.items() if k in run_keys})
    for name in ("save_ckpt_every", "save_content_every", "figure_every", "validate_every", "val_max_images"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{PREFIX}.{name} must be an integer >= 1, got {value!r}.")
    devices = params.get("devices") or [0]
    world_size = params.get("world_size", 1)
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise ConfigError(f"{PREFIX}.world_size must be an integer >= 1, got {world_size!r}.")
    launch = LaunchSettings(str(params.get("device", "auto")), tuple(int(d) for d in devices), world_size)
    return TrainingParameters(config, settings, launch)

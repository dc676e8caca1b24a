"""Every SynDiff knob in three dataclasses, and the named presets built from them.

`ModelConfig` fixes the eight networks' architecture, `DiffusionConfig` the noise schedule and
`OptimizationConfig` the optimisers, losses and loop lengths. The defaults reproduce the
published SynDiff configuration (Özbey et al. 2023: 256 px tiles, base width 64,
ch_mult 1 1 2 2 4 4, four diffusion steps); the `"tiny"` preset is sized for tests and the CPU
demo. Configurations arrive from Kedro parameters as plain dicts, so every `from_dict` refuses
unknown keys instead of silently ignoring a typo.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

RESBLOCK_TYPES = ("biggan", "biggan_oneadagn")

ORIGINAL_DISC_DOWNSAMPLES = 6
"""Downsampling blocks of the original SynDiff's diffusive discriminator (`Discriminator_large`)."""


class ConfigError(ValueError):
    """A SynDiff configuration value or key is invalid; the message names it and the fix."""


def _from_dict(cls: type[_T], values: Mapping[str, Any], section: str) -> _T:
    """Build dataclass `cls` from `values`, refusing keys that are not fields of `cls`."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - names)
    if unknown:
        raise ConfigError(
            f"unknown {section} key(s) {unknown}; valid keys are {sorted(names)}"
        )
    return cls(**values)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of the eight SynDiff networks.

    Diffusive generator (NCSN++ U-Net, `NCSNppGenerator`): `num_channels` is the base width,
    level i has `num_channels * ch_mult[i]` channels at resolution `image_size / 2**i` pixels;
    self-attention runs at levels whose side length (pixels) is in `attn_resolutions` and in the
    middle. Its timestep embedding has `4 * num_channels` dimensions (as in NCSN++); the latent
    z (`nz` dims) goes through pixel norm and `1 + n_mlp` linear layers to `z_emb_dim` dims that
    drive every adaptive group norm.
    Diffusive discriminator (`TimeConditionedDiscriminator`): base width `disc_channels`,
    timestep embedding `t_emb_dim`, `disc_downsamples` FIR downsampling blocks (None: the
    original's 6 blocks (`Discriminator_large`, whatever the tile size: 4 px left at 256 px,
    8 px at 512 px), fewer for tiles too small for 6 halvings to keep 4 px: 4 blocks at 64 px).
    Non-diffusive generator (CycleGAN `ResnetGenerator`): width `ngf`, `n_resnet_blocks` blocks.
    Non-diffusive discriminator (`PatchGANDiscriminator`): width `ndf`, `n_patchgan_layers`.
    Images are single-channel, [-1, 1].
    """

    image_size: int = 256
    num_channels: int = 64
    ch_mult: tuple[int, ...] = (1, 1, 2, 2, 4, 4)
    num_res_blocks: int = 2
    attn_resolutions: tuple[int, ...] = (16,)
    dropout: float = 0.0
    resblock_type: str = "biggan"
    fir_kernel: tuple[int, ...] = (1, 3, 3, 1)
    skip_rescale: bool = True
    nz: int = 100
    n_mlp: int = 3
    z_emb_dim: int = 256
    t_emb_dim: int = 256
    disc_channels: int = 64
    disc_downsamples: int | None = None
    ngf: int = 64
    n_resnet_blocks: int = 6
    ndf: int = 64
    n_patchgan_layers: int = 3

    def __post_init__(self) -> None:
        for name in ("ch_mult", "attn_resolutions", "fir_kernel"):
            object.__setattr__(self, name, tuple(int(v) for v in getattr(self, name)))
        self.validate()

    def validate(self) -> None:
        """Raise `ConfigError` naming the first parameter that cannot build a network."""
        positive = ("image_size", "num_channels", "num_res_blocks", "nz", "z_emb_dim",
                    "t_emb_dim", "disc_channels", "ngf", "ndf", "n_patchgan_layers")
        for name in positive:
            value = getattr(self, name)
            _require(isinstance(value, int) and value > 0,
                     f"model.{name} must be a positive integer, got {value!r}")
        _require(self.n_mlp >= 0 and self.n_resnet_blocks >= 0,
                 f"model.n_mlp ({self.n_mlp}) and model.n_resnet_blocks "
                 f"({self.n_resnet_blocks}) must be >= 0")
        _require(len(self.ch_mult) >= 1 and all(m > 0 for m in self.ch_mult),
                 f"model.ch_mult must be a non-empty list of positive integers, got "
                 f"{list(self.ch_mult)}")
        _require(0.0 <= self.dropout < 1.0, f"model.dropout must be in [0, 1), got {self.dropout}")
        _require(self.resblock_type in RESBLOCK_TYPES,
                 f"model.resblock_type {self.resblock_type!r} is not one of {RESBLOCK_TYPES}")
        kernel = self.fir_kernel
        _require(len(kernel) >= 2 and len(kernel) % 2 == 0 and kernel == kernel[::-1]
                 and sum(kernel) > 0,
                 f"model.fir_kernel must be symmetric with an even length >= 2 and a positive "
                 f"sum (e.g. [1, 3, 3, 1]), got {list(kernel)}")
        factor = 2 ** (len(self.ch_mult) - 1)
        _require(self.image_size % factor == 0 and self.image_size // factor >= 2,
                 f"model.image_size {self.image_size} does not fit model.ch_mult "
                 f"{list(self.ch_mult)}: {len(self.ch_mult)} levels need image_size to be a "
                 f"multiple of {factor} and at least {2 * factor}; use a larger image_size "
                 f"or fewer ch_mult entries")
        _require(self.image_size % 4 == 0 and self.image_size >= 32,
                 f"model.image_size {self.image_size} must be a multiple of 4 and >= 32 for the "
                 f"ResNet generator and PatchGAN")
        if self.disc_downsamples is not None:
            _require(isinstance(self.disc_downsamples, int) and self.disc_downsamples >= 1
                     and self.image_size % 2 ** self.disc_downsamples == 0,
                     f"model.disc_downsamples {self.disc_downsamples} must be >= 1 and "
                     f"2**disc_downsamples must divide image_size {self.image_size}; "
                     f"use null to derive it from image_size")

    @property
    def generator_levels(self) -> int:
        """Number of U-Net resolution levels of the diffusive generator."""
        return len(self.ch_mult)

    @property
    def resolved_disc_downsamples(self) -> int:
        """`disc_downsamples`, or the count derived from `image_size` when it is None."""
        if self.disc_downsamples is not None:
            return self.disc_downsamples
        size, count = self.image_size, 0
        while count < ORIGINAL_DISC_DOWNSAMPLES and size % 2 == 0 and size // 2 >= 4:
            size //= 2
            count += 1
        return count

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ModelConfig:
        """Build from a parameters dict; unknown keys raise `ConfigError` naming them."""
        return _from_dict(cls, values, "model")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (lists, not tuples) for checkpoints, YAML and MLflow params."""
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items()}


@dataclass(frozen=True)
class DiffusionConfig:
    """Noise schedule: `num_timesteps` large denoising steps of a VP (or geometric) SDE.

    VP (default): marginal signal level exp(-s^2 (beta_max - beta_min) / 2 - s beta_min) at time
    s in (0, 1]. `use_geometric`: the original's geometric schedule, marginal noise variance
    beta_min (beta_max / beta_min)^s, which needs beta_max < 1 (the VP defaults 0.1 / 20 would
    make the variance exceed 1 and the original train on NaNs).
    """

    num_timesteps: int = 4
    beta_min: float = 0.1
    beta_max: float = 20.0
    use_geometric: bool = False

    def __post_init__(self) -> None:
        _require(isinstance(self.num_timesteps, int) and self.num_timesteps >= 1,
                 f"diffusion.num_timesteps must be an integer >= 1, got {self.num_timesteps!r}")
        _require(0 < self.beta_min < self.beta_max,
                 f"diffusion.beta_min ({self.beta_min}) must be > 0 and < beta_max "
                 f"({self.beta_max})")
        _require(not self.use_geometric or self.beta_max < 1,
                 f"diffusion.use_geometric needs beta_max < 1 (it is the noise variance at the last "
                 f"step), got beta_max {self.beta_max}; set e.g. beta_min: 0.01, beta_max: 0.9, or "
                 f"use_geometric: false")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> DiffusionConfig:
        """Build from a parameters dict; unknown keys raise `ConfigError` naming them."""
        return _from_dict(cls, values, "diffusion")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class OptimizationConfig:
    """Adam settings, cosine learning-rate decay to `lr_min`, EMA, R1 and loss weights.

    `r1_gamma` weighs the R1 gradient penalty of the diffusive discriminators, applied every
    `lazy_reg` steps; `lambda_l1_cycle` weighs the cycle-consistency L1 of the non-diffusive
    generators and `lambda_l1_diffusive` that of the diffusive generators' x0 predictions.
    """

    lr_g: float = 1.6e-4
    lr_d: float = 1e-4
    beta1: float = 0.5
    beta2: float = 0.9
    lr_min: float = 1e-5
    no_lr_decay: bool = False
    use_ema: bool = True
    ema_decay: float = 0.999
    r1_gamma: float = 1.0
    lazy_reg: int = 10
    lambda_l1_cycle: float = 0.5
    lambda_l1_diffusive: float = 0.5
    batch_size: int = 1
    num_epochs: int = 500

    def __post_init__(self) -> None:
        _require(self.lr_g > 0 and self.lr_d > 0 and self.lr_min >= 0,
                 f"optimization.lr_g ({self.lr_g}) and lr_d ({self.lr_d}) must be > 0 and "
                 f"lr_min ({self.lr_min}) >= 0")
        _require(0 <= self.beta1 < 1 and 0 <= self.beta2 < 1,
                 f"optimization.beta1 ({self.beta1}) and beta2 ({self.beta2}) must be in [0, 1)")
        _require(0 <= self.ema_decay < 1,
                 f"optimization.ema_decay must be in [0, 1), got {self.ema_decay}")
        _require(isinstance(self.lazy_reg, int) and self.lazy_reg >= 1,
                 f"optimization.lazy_reg must be an integer >= 1, got {self.lazy_reg!r}")
        _require(isinstance(self.batch_size, int) and self.batch_size >= 1,
                 f"optimization.batch_size must be an integer >= 1, got {self.batch_size!r}")
        _require(isinstance(self.num_epochs, int) and self.num_epochs >= 1,
                 f"optimization.num_epochs must be an integer >= 1, got {self.num_epochs!r}")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> OptimizationConfig:
        """Build from a parameters dict; unknown keys raise `ConfigError` naming them."""
        return _from_dict(cls, values, "optimization")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SynDiffConfig:
    """The three sections together, as stored in parameters files and checkpoints."""

    model: ModelConfig = field(default_factory=ModelConfig)
    diffusion: DiffusionConfig = field(default_factory=DiffusionConfig)
    optimization: OptimizationConfig = field(default_factory=OptimizationConfig)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> SynDiffConfig:
        """Build from `{"model": {...}, "diffusion": {...}, "optimization": {...}}`.

        Missing sections take their defaults; unknown sections or keys raise `ConfigError`.
        """
        sections = {"model": ModelConfig, "diffusion": DiffusionConfig,
                    "optimization": OptimizationConfig}
        unknown = sorted(set(values) - set(sections))
        if unknown:
            raise ConfigError(
                f"unknown SynDiff config section(s) {unknown}; valid sections are "
                f"{sorted(sections)}"
            )
        return cls(**{name: sections[name].from_dict(values.get(name) or {})
                      for name in sections})

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {"model": self.model.to_dict(), "diffusion": self.diffusion.to_dict(),
                "optimization": self.optimization.to_dict()}


PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    # The published SynDiff configuration (README command of icon-lab/SynDiff).
    "default": {},
    # 64 px tiles for tests and the CPU demo. The diffusive generator keeps the shape of the
    # original code's small configuration (width 32, ch_mult 1 2 2 2, about 4.7 M parameters);
    # the discriminators and the non-diffusive pair are narrowed because on a CPU they cost
    # more than the generator they train.
    "tiny": {
        "model": {
            "image_size": 64,
            "num_channels": 32,
            "ch_mult": [1, 2, 2, 2],
            "attn_resolutions": [16],
            "t_emb_dim": 128,
            "disc_channels": 16,
            "ngf": 16,
            "n_resnet_blocks": 4,
            "ndf": 16,
        },
        "optimization": {"batch_size": 2, "num_epochs": 20},
    },
}


def preset(name: str, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> SynDiffConfig:
    """The named preset (`"default"` or `"tiny"`) with `overrides` applied section by section.

    `overrides` has the same shape as `SynDiffConfig.from_dict` input, e.g.
    `{"model": {"image_size": 128}}`; keys it does not mention keep the preset's values.
    """
    if name not in PRESETS:
        raise ConfigError(f"unknown SynDiff preset {name!r}; choose one of {sorted(PRESETS)}")
    merged: dict[str, dict[str, Any]] = {s: dict(v) for s, v in PRESETS[name].items()}
    for section, values in (overrides or {}).items():
        if not isinstance(values, Mapping):
            raise ConfigError(
                f"override section {section!r} must be a mapping of keys to values, got "
                f"{type(values).__name__}"
            )
        merged.setdefault(section, {}).update(values)
    logger.debug("SynDiff preset %r with overrides %s", name, dict(overrides or {}))
    return SynDiffConfig.from_dict(merged)

"""SynDiff configuration: presets, overrides and refusal of invalid or unknown settings."""

from __future__ import annotations

import pytest

from axondeepsynth.syndiff.config import (
    ConfigError,
    DiffusionConfig,
    ModelConfig,
    OptimizationConfig,
    SynDiffConfig,
    preset,
)


def test_default_preset_is_the_published_configuration() -> None:
    config = preset("default")
    assert config.model.image_size == 256
    assert config.model.num_channels == 64
    assert config.model.ch_mult == (1, 1, 2, 2, 4, 4)
    assert config.model.attn_resolutions == (16,)
    assert config.diffusion == DiffusionConfig(num_timesteps=4, beta_min=0.1, beta_max=20.0,
                                               use_geometric=False)
    assert (config.optimization.lr_g, config.optimization.lr_d) == (1.6e-4, 1e-4)
    assert config.optimization.lazy_reg == 10 and config.optimization.r1_gamma == 1.0


def test_tiny_preset_is_small_and_overridable() -> None:
    config = preset("tiny", {"model": {"image_size": 128}, "diffusion": {"num_timesteps": 2}})
    assert config.model.image_size == 128
    assert config.model.num_channels == 32
    assert config.diffusion.num_timesteps == 2
    assert config.optimization.batch_size == 2


def test_dict_round_trip_survives_yaml_style_lists() -> None:
    config = preset("tiny")
    assert SynDiffConfig.from_dict(config.to_dict()) == config
    assert config.model.to_dict()["ch_mult"] == [1, 2, 2, 2]


@pytest.mark.parametrize("cls", [ModelConfig, DiffusionConfig, OptimizationConfig])
def test_unknown_keys_are_named(cls: type) -> None:
    with pytest.raises(ConfigError, match="num_chanels"):
        cls.from_dict({"num_chanels": 3})


def test_unknown_section_and_preset_are_named() -> None:
    with pytest.raises(ConfigError, match="modle"):
        SynDiffConfig.from_dict({"modle": {}})
    with pytest.raises(ConfigError, match="huge"):
        preset("huge")


@pytest.mark.parametrize("size", [64, 96, 160, 256, 1024])
def test_tile_sizes_that_are_multiples_of_32_fit_the_default_levels(size: int) -> None:
    assert ModelConfig(image_size=size).image_size == size


@pytest.mark.parametrize(("size", "ch_mult"), [(32, (1, 1, 2, 2, 4, 4)), (80, (1, 1, 2, 2, 4, 4)),
                                               (100, (1, 2, 2, 2))])
def test_sizes_that_do_not_fit_the_levels_name_image_size_and_ch_mult(size: int,
                                                                      ch_mult: tuple) -> None:
    with pytest.raises(ConfigError, match=rf"image_size {size}.*ch_mult"):
        ModelConfig(image_size=size, ch_mult=ch_mult)


@pytest.mark.parametrize(("key", "value"), [("fir_kernel", (1, 2, 3, 4)), ("fir_kernel", (1, 2, 1)),
                                            ("resblock_type", "ddpm"), ("num_channels", 0),
                                            ("dropout", 1.5), ("disc_downsamples", 9)])
def test_invalid_model_values_are_named(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        ModelConfig(**{key: value})


def test_discriminator_depth_is_derived_from_the_tile_size() -> None:
    assert ModelConfig(image_size=256).resolved_disc_downsamples == 6
    assert ModelConfig(image_size=512).resolved_disc_downsamples == 6  # the original's 6, 8 x 8 at the end
    assert ModelConfig(image_size=1024).resolved_disc_downsamples == 6
    assert ModelConfig(image_size=64).resolved_disc_downsamples == 4
    assert ModelConfig(image_size=96).resolved_disc_downsamples == 4  # 6 x 6 at the end
    assert ModelConfig(image_size=256, disc_downsamples=3).resolved_disc_downsamples == 3

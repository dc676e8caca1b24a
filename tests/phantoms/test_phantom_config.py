"""Building the phantom config from Kedro params."""

from __future__ import annotations

import pytest

from axondeepsynth.phantoms import PhantomConfig, PhantomConfigError


def test_params_override_defaults_and_merge_per_modality_maps() -> None:
    config = PhantomConfig.from_params({"seed": 3, "pixel_size_um": {"tem": 0.025}, "g_ratio_range": [0.6, 0.7]})
    assert config.seed == 3
    assert config.pixel_size_um == {"sem": 0.1, "tem": 0.025}
    assert config.g_ratio_range == (0.6, 0.7)
    assert config.image_shape(0.025) == (1024, 1024)
    assert PhantomConfig.from_params(config.to_dict()) == config


def test_defaults_are_small_and_give_tem_finer_pixels() -> None:
    config = PhantomConfig.from_params(None)
    assert config.image_shape(config.pixel_size_um["sem"]) == (256, 256)
    assert config.image_shape(config.pixel_size_um["tem"]) == (640, 640)
    assert config.subject_ids("sem") == ["01", "02", "03", "04"]
    assert config.subject_ids("tem") == ["05", "06", "07", "08"]
    assert config.test_subject_count() == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"n_subject": 2}, "n_subject"),
        ({"g_ratio_range": [0.8, 0.5]}, "g_ratio_range"),
        ({"pixel_size_um": {"bf": 0.1}}, "pixel_size_um"),
        ({"pixel_size_um": {"sem": 5.0}}, "pixel_size_um.sem"),
        ({"nnunet_dataset_id": {"sem": 7, "tem": 7}}, "nnunet_dataset_id"),
    ],
)
def test_bad_params_raise_naming_the_parameter(params: dict, named: str) -> None:
    with pytest.raises(PhantomConfigError, match=named):
        PhantomConfig.from_params(params)

"""The translation parameters: defaults parse, and each bad value is named with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from axondeepsynth.pipelines.translation.parameters import TranslationParameterError, parse_translation_parameters

PARAMETERS_FILE = Path(__file__).resolve().parents[3] / "conf" / "base" / "parameters_translation.yml"


@pytest.fixture
def params(real_data_dir) -> dict:
    values = yaml.safe_load(PARAMETERS_FILE.read_text())["translation"]
    return {**values, "source": str(real_data_dir / "sem_bids")}


def test_shipped_parameters_parse(params):
    parsed = parse_translation_parameters(params)
    assert parsed.mode == "tutorship" and parsed.which_epoch == "latest"
    assert parsed.devices == ("auto",) and not parsed.source_is_tile_set


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"mode": "segmentation"}, "translation.mode"),
        ({"batch_size": 0}, "translation.batch_size"),
        ({"which_epoch": "best"}, "translation.which_epoch"),
        ({"scale_factor": -1}, "translation.scale_factor"),
        ({"tile_size": 64, "overlap": 64}, "translation.overlap"),
        ({"source": "/nonexistent/folder"}, "translation.source"),
        ({"devices": "cuda:0"}, "translation.devices"),
        ({"tutorship": {"dataset_id": 1000}}, "translation.tutorship.dataset_id"),
        ({"source_contrast": ""}, "translation.source_contrast"),
    ],
)
def test_bad_values_are_named(params, change, named):
    with pytest.raises(TranslationParameterError, match=named.replace(".", r"\.")):
        parse_translation_parameters({**params, **change})


def test_is_nnunet_dir_requires_images_tr(params, real_data_dir):
    with pytest.raises(TranslationParameterError, match="imagesTr"):
        parse_translation_parameters({**params, "source": str(real_data_dir / "sem_bids"), "is_nnunet_dir": True})

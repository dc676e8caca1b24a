"""The non-diffusive (ResNet) generators as a translator: right file per direction, one deterministic pass."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks import build_network
from axondeepsynth.translation.image_tiles import tile_image
from axondeepsynth.translation.model_translation import UnknownContrastError
from axondeepsynth.translation.non_diffusive_translation import load_non_diffusive_translation
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine, to_unit_range


@pytest.fixture(scope="module")
def sem_tiles(real_data_dir) -> np.ndarray:
    image = read_grayscale(sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))[0])
    return to_unit_range(np.stack([image[64 * i : 64 * (i + 1), 100:164] for i in range(3)])[:, None])


def _stored_generator(store, name: str):
    payload = store.load_generator_file("tiny_exp", name, "latest")
    network = build_network(payload["network"], ModelConfig.from_dict(payload["model_config"]))
    network.load_state_dict(payload["state_dict"])
    return network.eval()


@pytest.mark.parametrize(("source", "target", "stored", "other"), [
    ("sem", "tem", "gen_non_diffusive_1to2", "gen_non_diffusive_2to1"),
    ("tem", "sem", "gen_non_diffusive_2to1", "gen_non_diffusive_1to2"),
])
def test_each_direction_runs_its_own_resnet_generator(tiny_checkpoints, sem_tiles, source, target, stored, other):
    model = load_non_diffusive_translation(tiny_checkpoints, "tiny_exp", "latest", source, ["cpu"], cpu_threads=1)
    assert (model.source_contrast, model.target_contrast, model.epoch, model.image_size) == (source, target, 5, 64)
    translated = model.translate_fn(sem_tiles, [0, 1, 2])
    with torch.inference_mode():
        expected = _stored_generator(tiny_checkpoints, stored)(torch.from_numpy(sem_tiles)).numpy()
        wrong = _stored_generator(tiny_checkpoints, other)(torch.from_numpy(sem_tiles)).numpy()
    np.testing.assert_allclose(translated, expected, atol=1e-5)
    assert np.abs(translated - wrong).max() > 1e-3
    np.testing.assert_array_equal(translated, model.translate_fn(sem_tiles, [7, 7, 7]))  # no noise


def test_engine_translates_a_whole_real_image(tiny_checkpoints, real_data_dir):
    image = read_grayscale(sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))[0])[:150, :170]
    model = load_non_diffusive_translation(tiny_checkpoints, "tiny_exp", "latest", "sem", ["cpu"], cpu_threads=1)
    engine = TiledTranslationEngine(model.translate_fn, batch_size=8)
    (translated,) = engine.translate([tile_image(image, 64, 16, 1.0)])
    assert translated.shape == image.shape and translated.dtype == np.uint8


def test_unknown_contrast_is_refused(tiny_checkpoints):
    with pytest.raises(UnknownContrastError, match="'bf' is neither"):
        load_non_diffusive_translation(tiny_checkpoints, "tiny_exp", "latest", "bf", ["cpu"])

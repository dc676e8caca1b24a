"""CheckpointStore: generator files, epochs, architecture checks and the atomic resume state."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from axondeepsynth.syndiff.checkpoints import (
    GENERATOR_FORMAT,
    CheckpointArchitectureError,
    CheckpointNotFoundError,
    CheckpointStore,
)
from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.networks import NCSNppGenerator, build_networks


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, micro_config):
    torch.manual_seed(0)
    networks = build_networks(micro_config.model)
    store = CheckpointStore(tmp_path_factory.mktemp("ckpt"))
    generators = networks.generators()
    for epoch in (5, 10):
        store.save_generators("exp", epoch, generators, micro_config.model, micro_config.diffusion, ("sem", "tem"))
    return store, networks


def test_generator_files_follow_the_documented_format(saved, micro_config) -> None:
    store, networks = saved
    names = sorted(p.name for p in store.experiment_dir("exp").iterdir())
    assert names == sorted(f"{n}_{e}.pth" for n in ("gen_diffusive_1", "gen_diffusive_2", "gen_non_diffusive_1to2",
                                                     "gen_non_diffusive_2to1") for e in (5, 10))
    payload = torch.load(store.generator_path("exp", "gen_non_diffusive_2to1", 10), weights_only=False)
    assert payload["format"] == GENERATOR_FORMAT and payload["network"] == "ResnetGenerator"
    assert payload["contrasts"] == ["sem", "tem"] and payload["epoch"] == 10
    assert payload["model_config"] == micro_config.model.to_dict()
    for key, value in networks.gen_non_diffusive_2to1.state_dict().items():
        assert torch.equal(payload["state_dict"][key], value)


def test_diffusive_generator_round_trip(saved, micro_config) -> None:
    store, networks = saved
    assert store.available_epochs("exp") == [5, 10]
    generator, model_config, diffusion_config = store.load_diffusive_generator("exp", "latest", 2)
    assert isinstance(generator, NCSNppGenerator) and not generator.training
    assert model_config == micro_config.model and diffusion_config == micro_config.diffusion
    x, t, z = torch.rand(1, 2, 64, 64) * 2 - 1, torch.tensor([2]), torch.randn(1, micro_config.model.nz)
    torch.testing.assert_close(generator(x, t, z), networks.gen_diffusive_2.eval()(x, t, z), rtol=0, atol=0)


def test_missing_epoch_lists_the_existing_ones(saved) -> None:
    store, _ = saved
    with pytest.raises(CheckpointNotFoundError, match=r"epoch 7 .*available epochs: \[5, 10\]"):
        store.load_diffusive_generator("exp", 7, 1)
    with pytest.raises(CheckpointNotFoundError, match="No SynDiff generators"):
        store.load_diffusive_generator("other", "latest", 1)


def test_another_architecture_is_refused_with_a_readable_message(saved, micro_config) -> None:
    store, _ = saved
    wider = preset("tiny").model
    with pytest.raises(CheckpointArchitectureError,
                       match=r"another model_config \(.*num_channels: checkpoint 8 vs config 32"):
        store.load_diffusive_generator("exp", 5, 1, expected_model_config=wider)
    # A file whose weights do not fit its declared config (e.g. edited or from other code).
    path = store.generator_path("exp", "gen_diffusive_1", 5)
    payload = torch.load(path, weights_only=False)
    payload["model_config"] = wider.to_dict()
    torch.save(payload, path)
    with pytest.raises(CheckpointArchitectureError,
                       match="different NCSNppGenerator architecture: .*with another shape"):
        store.load_diffusive_generator("exp", 5, 1)


def test_resume_state_is_written_atomically(tmp_path: Path) -> None:
    store = CheckpointStore(tmp_path)
    with pytest.raises(CheckpointNotFoundError, match="resume: true but there is no resume state"):
        store.load_resume_state("exp")
    store.save_resume_state("exp", {"epoch": 1, "weights": torch.arange(3)})
    store.save_resume_state("exp", {"epoch": 2, "weights": torch.arange(4)})
    state = store.load_resume_state("exp")
    assert state["epoch"] == 2 and torch.equal(state["weights"], torch.arange(4))
    assert [p.name for p in store.experiment_dir("exp").iterdir()] == ["resume_state.pth"]

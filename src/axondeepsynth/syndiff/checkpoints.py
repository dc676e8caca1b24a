"""SynDiff checkpoints on disk: per-epoch generator weights and the full resume state.

Layout under the store root (``data/06_models/syndiff`` by default), one folder per experiment::

    <experiment>/gen_diffusive_1_<epoch>.pth          EMA weights + what is needed to rebuild
    <experiment>/gen_diffusive_2_<epoch>.pth
    <experiment>/gen_non_diffusive_1to2_<epoch>.pth
    <experiment>/gen_non_diffusive_2to1_<epoch>.pth
    <experiment>/resume_state.pth                     everything to continue training

Every generator file is a dict ``{"format", "network", "model_config", "diffusion_config",
"contrasts", "epoch", "state_dict"}`` (docs/ARCHITECTURE.md). Every file is written under a
temporary name and renamed, so a run killed mid-write leaves the previous file intact.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import torch
from torch import nn

from axondeepsynth.errors import names_corrupt_file
from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.syndiff.config import DiffusionConfig, ModelConfig
from axondeepsynth.syndiff.networks import NCSNppGenerator, build_network

logger = logging.getLogger(__name__)

GENERATOR_FORMAT = "axondeepsynth.generator/1"
RESUME_FORMAT = "axondeepsynth.resume/1"
RESUME_FILE = "resume_state.pth"
GENERATOR_FILES = ("gen_diffusive_1", "gen_diffusive_2", "gen_non_diffusive_1to2", "gen_non_diffusive_2to1")
"""File stems of the four generators; they equal the network names of ``SynDiffNetworks``."""

_EPOCH_PATTERN = re.compile(r"^gen_diffusive_1_(\d+)\.pth$")
_CORRUPT_GENERATOR_REMEDY = (
    "Pick an intact epoch (which_epoch), or delete the damaged epoch's files and re-run "
    "`kedro run --pipeline syndiff_training` to write them again."
)
_CORRUPT_RESUME_REMEDY = (
    "Train from scratch with `kedro run --pipeline syndiff_training --params "
    "syndiff_training.resume=false,syndiff_training.overwrite=true` (or another experiment_name)."
)


class CheckpointNotFoundError(FileNotFoundError):
    """The requested experiment, epoch or resume state does not exist."""


class CheckpointArchitectureError(ValueError):
    """Stored weights do not fit the network built from the configuration."""


def load_weights_strictly(module: nn.Module, state_dict: Mapping[str, torch.Tensor], what: str) -> None:
    """``module.load_state_dict(state_dict)`` with a readable error instead of a key/shape dump.

    ``what`` names the file and network for the message (e.g. ``'.../resume_state.pth: gen_diffusive_1'``).
    """
    own = module.state_dict()
    missing = sorted(set(own) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(own))
    reshaped = sorted(k for k in set(own) & set(state_dict) if own[k].shape != state_dict[k].shape)
    if missing or unexpected or reshaped:
        details = []
        for label, keys in (("missing", missing), ("unexpected", unexpected), ("with another shape", reshaped)):
            if keys:
                details.append(f"{len(keys)} weights {label} (e.g. {keys[0]})")
        raise CheckpointArchitectureError(
            f"{what} was saved from a different {type(module).__name__} architecture: {'; '.join(details)}. "
            "Use the model_config (preset and overrides) the checkpoint was trained with, or another experiment."
        )
    module.load_state_dict(state_dict)


def check_matching_model_config(stored: Mapping[str, Any], expected: ModelConfig, path: Path) -> None:
    """Raise :class:`CheckpointArchitectureError` listing the fields where a checkpoint's stored
    model_config differs from ``expected``."""
    differing = {k: (v, stored.get(k)) for k, v in expected.to_dict().items() if stored.get(k) != v}
    if differing:
        listed = ", ".join(f"{k}: checkpoint {s!r} vs config {e!r}" for k, (e, s) in sorted(differing.items()))
        raise CheckpointArchitectureError(
            f"{path} was trained with another model_config ({listed}). Use the checkpoint's configuration "
            "(same preset and overrides) or start a new experiment_name."
        )


class CheckpointStore:
    """Reads and writes the checkpoints of every experiment under ``root``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"CheckpointStore({str(self.root)!r})"

    def experiment_dir(self, experiment: str) -> Path:
        """Folder of one experiment (not created here)."""
        if not experiment or "/" in experiment or experiment in (".", ".."):
            raise ValueError(f"experiment_name {experiment!r} must be a plain folder name (no '/').")
        return self.root / experiment

    def generator_path(self, experiment: str, name: str, epoch: int) -> Path:
        return self.experiment_dir(experiment) / f"{name}_{epoch}.pth"

    def save_generators(
        self, experiment: str, epoch: int, generators: Mapping[str, nn.Module], model_config: ModelConfig,
        diffusion_config: DiffusionConfig, contrasts: tuple[str, str],
    ) -> list[Path]:
        """Write the four generators (pass the EMA copies) for ``epoch``; returns the paths."""
        paths = []
        for name in GENERATOR_FILES:
            network = generators[name]
            payload = {
                "format": GENERATOR_FORMAT,
                "network": type(network).__name__,
                "model_config": model_config.to_dict(),
                "diffusion_config": diffusion_config.to_dict(),
                "contrasts": list(contrasts),
                "epoch": epoch,
                "state_dict": {k: v.detach().cpu().contiguous() for k, v in network.state_dict().items()},
            }
            path = self.generator_path(experiment, name, epoch)
            with atomic_file(path, overwrite=True) as temp:
                torch.save(payload, temp)
            paths.append(path)
        logger.info("Saved generator weights of epoch %d to %s.", epoch, self.experiment_dir(experiment))
        return paths

    def available_epochs(self, experiment: str) -> list[int]:
        """Epochs with saved generators, ascending (empty when the experiment has none)."""
        folder = self.experiment_dir(experiment)
        if not folder.is_dir():
            return []
        matches = (_EPOCH_PATTERN.match(p.name) for p in folder.iterdir())
        return sorted(int(m.group(1)) for m in matches if m)

    def _resolve_epoch(self, experiment: str, epoch: int | Literal["latest"]) -> int:
        epochs = self.available_epochs(experiment)
        if not epochs:
            raise CheckpointNotFoundError(
                f"No SynDiff generators under {self.experiment_dir(experiment)}; train with "
                "`kedro run --pipeline syndiff_training` or check experiment_name."
            )
        if epoch == "latest":
            return epochs[-1]
        if int(epoch) not in epochs:
            raise CheckpointNotFoundError(
                f"No checkpoint of epoch {epoch} in {self.experiment_dir(experiment)}; available epochs: {epochs}."
            )
        return int(epoch)

    def load_generator_file(self, experiment: str, name: str, epoch: int | Literal["latest"]) -> dict[str, Any]:
        """The raw dict of one generator file (``name`` from :data:`GENERATOR_FILES`)."""
        path = self.generator_path(experiment, name, self._resolve_epoch(experiment, epoch))
        with names_corrupt_file(path, "SynDiff generator checkpoint", _CORRUPT_GENERATOR_REMEDY):
            payload = torch.load(path, map_location="cpu", weights_only=False)
        if not isinstance(payload, dict) or payload.get("format") != GENERATOR_FORMAT:
            raise CheckpointArchitectureError(
                f"{path} is not an axondeepsynth generator checkpoint (format {GENERATOR_FORMAT}); "
                "weights of the original SynDiff code must be converted first."
            )
        return payload

    def load_diffusive_generator(
        self, experiment: str, epoch: int | Literal["latest"], direction: Literal[1, 2],
        device: torch.device | str = "cpu", expected_model_config: ModelConfig | None = None,
    ) -> tuple[NCSNppGenerator, ModelConfig, DiffusionConfig]:
        """The EMA diffusive generator producing contrast ``direction`` (1 or 2), in eval mode.

        Returns the network on ``device`` with the model and diffusion configurations it was
        trained with. With ``expected_model_config`` a checkpoint of another architecture is
        refused with :class:`CheckpointArchitectureError` listing the differing fields.
        """
        if direction not in (1, 2):
            raise ValueError(f"direction must be 1 (produce contrast1) or 2 (produce contrast2), got {direction!r}.")
        name = f"gen_diffusive_{direction}"
        payload = self.load_generator_file(experiment, name, epoch)
        path = self.generator_path(experiment, name, payload["epoch"])
        if expected_model_config is not None:
            check_matching_model_config(payload["model_config"], expected_model_config, path)
        model_config = ModelConfig.from_dict(payload["model_config"])
        diffusion_config = DiffusionConfig.from_dict(payload.get("diffusion_config", {}))
        generator = build_network(payload["network"], model_config)
        load_weights_strictly(generator, payload["state_dict"], f"{path}")
        return generator.to(device).eval(), model_config, diffusion_config

    def resume_path(self, experiment: str) -> Path:
        return self.experiment_dir(experiment) / RESUME_FILE

    def save_resume_state(self, experiment: str, state: Mapping[str, Any]) -> Path:
        """Write the resume state atomically (temporary file, then rename over the old one)."""
        path = self.resume_path(experiment)
        with atomic_file(path, overwrite=True) as temp:
            torch.save({"format": RESUME_FORMAT, **state}, temp)
        logger.info("Saved resume state (epoch %s) to %s.", state.get("epoch"), path)
        return path

    def load_resume_state(self, experiment: str, map_location: torch.device | str = "cpu") -> dict[str, Any]:
        """The state written by :meth:`save_resume_state`, or a clear error when there is none."""
        path = self.resume_path(experiment)
        if not path.is_file():
            raise CheckpointNotFoundError(
                f"resume: true but there is no resume state at {path}; set resume: false to start "
                "training from scratch, or check experiment_name."
            )
        with names_corrupt_file(path, "SynDiff resume state", _CORRUPT_RESUME_REMEDY):
            state = torch.load(path, map_location=map_location, weights_only=False)
        if state.get("format") != RESUME_FORMAT:
            raise CheckpointArchitectureError(f"{path} is not an axondeepsynth resume state ({RESUME_FORMAT}).")
        return state

"""Write SynDiff checkpoints with untrained (randomly initialised) weights.

For exercising the translation plumbing without hours of training: tests of the translation
pipeline, ``benchmarks/translation.py`` (throughput does not depend on the weights) and dry runs
on a new machine. The files are real checkpoints in the layout of
:class:`~axondeepsynth.syndiff.checkpoints.CheckpointStore`; their translations are noise-like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

from axondeepsynth.syndiff.checkpoints import GENERATOR_FILES, CheckpointStore
from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.networks.factory import build_networks


def write_untrained_checkpoint(
    root: Path | str,
    experiment: str,
    contrasts: tuple[str, str],
    epochs: Sequence[int] = (1,),
    preset_name: str = "tiny",
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int = 0,
) -> CheckpointStore:
    """Save freshly initialised generators of ``preset_name`` for each of ``epochs``.

    Args:
        root: checkpoint store root; the files go to ``root/experiment``.
        contrasts: (contrast1, contrast2) modality names recorded in the files.
        epochs: epoch numbers to write (the same weights under each).
        preset_name, overrides: see :func:`axondeepsynth.syndiff.config.preset`.
        seed: seeds the weight initialisation.
    """
    config = preset(preset_name, overrides)
    torch.manual_seed(seed)
    networks = build_networks(config.model).as_dict()
    store = CheckpointStore(root)
    generators = {name: networks[name] for name in GENERATOR_FILES}
    for epoch in epochs:
        store.save_generators(experiment, epoch, generators, config.model, config.diffusion, contrasts)
    return store

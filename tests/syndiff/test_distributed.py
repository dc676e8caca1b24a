"""Two-process data-parallel training on gloo (CPU): ranks see different crops, end identical."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import torch

from axondeepsynth.syndiff.config import SynDiffConfig
from axondeepsynth.syndiff.cpu_threads import torch_cpu_threads
from axondeepsynth.syndiff.distributed import DistributedContext, launch
from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.trainer import SynDiffTrainer
from axondeepsynth.syndiff.training_data import UnpairedCropSampler


def _train_two_steps(images: dict[str, list[np.ndarray]], config: SynDiffConfig, context: DistributedContext) -> Any:
    """Rank-specific initial weights and crops; returns every rank's final weights and first batch.

    One torch thread per rank, as ``train_on_rank`` gives them (the spawned ranks do not inherit the
    suite's single thread): two ranks of several threads each on two cores wait on each other.
    """
    torch.manual_seed(100 + context.rank)
    with torch_cpu_threads(1):
        trainer = SynDiffTrainer(build_networks(config.model), config, context)
        sampler = UnpairedCropSampler(images["sem"], images["tem"], tile_size=64, seed=1)
        batches = list(sampler.iter_batches(0, 2, context.rank, context.world_size, max_batches=2))
        losses = [trainer.train_step(*batch) for batch in batches]
    weights = {name: {k: v.clone() for k, v in net.state_dict().items()} for name, net in trainer.iter_modules()}
    return context.gather_objects((weights, batches[0][0], losses))


def test_two_gloo_ranks_end_with_identical_weights(unpaired_images, micro_config) -> None:
    per_rank = launch(functools.partial(_train_two_steps, unpaired_images, micro_config), device="cpu", world_size=2)
    (weights0, crops0, losses0), (weights1, crops1, losses1) = per_rank
    assert not torch.equal(crops0, crops1)  # each rank trained on its own shard
    assert losses0 == losses1  # losses are averaged over ranks
    assert weights0.keys() == weights1.keys()
    for name in weights0:
        for key in weights0[name]:
            assert torch.equal(weights0[name][key], weights1[name][key]), f"{name}.{key}"
    # ... and they are rank 0's initial weights after two updates, not untouched copies.
    torch.manual_seed(100)
    initial = build_networks(micro_config.model).gen_diffusive_1.state_dict()
    changed = [k for k in initial if not torch.equal(initial[k], weights0["gen_diffusive_1"][k])]
    assert changed


def _run_and_report(job: Any, context: DistributedContext) -> Any:
    """Every rank's view of the run it took part in: (rank, validation metrics, resume state path)."""
    from axondeepsynth.syndiff.training_run import train_on_rank

    outcome = train_on_rank(job, context)
    metrics = outcome.last_validation.metrics if outcome.last_validation else None
    return context.gather_objects((context.rank, context.local_world_size, metrics, outcome.resume_state))


def test_every_rank_returns_rank_zeros_outcome(unpaired_images, micro_config, tmp_path) -> None:
    from axondeepsynth.syndiff.checkpoints import CheckpointStore
    from axondeepsynth.syndiff.training_run import TrainingJob, TrainingSettings
    from axondeepsynth.syndiff.validation import ValidationSet

    validation = ValidationSet.from_images(unpaired_images, None, ("sem", "tem"), 64, limit=1)
    settings = TrainingSettings("ddp", "sem", "tem", max_steps_per_epoch=1, max_epochs_per_run=1, cpu_threads=1)
    job = TrainingJob(unpaired_images["sem"], unpaired_images["tem"], validation, CheckpointStore(tmp_path),
                      micro_config, settings)
    (rank0, size0, metrics0, state0), (rank1, size1, metrics1, state1) = launch(
        functools.partial(_run_and_report, job), device="cpu", world_size=2)
    assert (rank0, rank1, size0, size1) == (0, 1, 2, 2)
    assert metrics0 and metrics1 == metrics0  # rank 1 validated nothing itself
    assert state0 and state1 == state0

"""A whole SynDiff training run on one rank: epochs, validation, checkpoints, resume, logging.

:func:`train_on_rank` is what :func:`axondeepsynth.syndiff.distributed.launch` runs on every
process. All ranks train; rank 0 alone validates, writes checkpoints and logs. The resume state
is written at the end of an epoch (every ``save_content_every`` epochs and at the end of the
run) with every rank's random-generator state, so a run killed at any moment continues from the
last such state exactly as if it had never stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from axondeepsynth.syndiff.checkpoints import CheckpointStore, check_matching_model_config
from axondeepsynth.syndiff.config import ConfigError, SynDiffConfig
from axondeepsynth.syndiff.cpu_threads import resolve_cpu_threads, torch_cpu_threads
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.precision import parse_channels_last, parse_precision, resolve_compute
from axondeepsynth.syndiff.rng_state import capture_rng_state, restore_rng_state, seed_everything
from axondeepsynth.syndiff.run_logger import RunLogger
from axondeepsynth.syndiff.trainer import SynDiffTrainer
from axondeepsynth.syndiff.training_data import EPOCH_DEFINITIONS, UnpairedCropSampler
from axondeepsynth.syndiff.validation import ValidationResult, ValidationSet, validate
from axondeepsynth.syndiff.validation_figure import make_validation_figure

logger = logging.getLogger(__name__)


class ExperimentExistsError(FileExistsError):
    """A fresh run would overwrite the checkpoints of an existing experiment."""


class ResumeMismatchError(ValueError):
    """The resume state belongs to a run with other contrasts."""


@dataclass(frozen=True)
class TrainingSettings:
    """Run-level knobs of ``parameters_syndiff_training.yml`` (epochs are counted from 1).

    ``save_ckpt_every``: generator weights every N epochs (and at the last epoch);
    ``save_content_every``: resume state every N epochs (and at the end of the run);
    ``figure_every``: validation figure to MLflow every N epochs; ``validate_every``: metrics;
    ``max_steps_per_epoch``: cap on optimiser steps per epoch (demo); ``max_epochs_per_run``:
    stop after that many epochs this run (continue later with ``resume: true``, e.g. under
    cluster wall-time limits); ``overwrite``: start over in an existing experiment folder;
    ``precision`` (auto | bf16 | fp32) and ``channels_last`` (auto | true | false): see
    :func:`axondeepsynth.syndiff.precision.resolve_compute` (auto: the fastest on the device);
    ``cpu_threads``: torch intra-op threads per process on CPU (None: the cores this process may
    use divided by the ranks on this machine, see :mod:`axondeepsynth.syndiff.cpu_threads`);
    ``epoch_definition``: ``tiles`` (an epoch offers one crop per tile covering each image) or
    ``original`` (one random crop per image, as the published SynDiff), which sets how many steps
    the per-epoch cosine LR schedule spans.
    """

    experiment_name: str
    contrast1: str
    contrast2: str
    seed: int = 42
    resume: bool = False
    overwrite: bool = False
    save_ckpt_every: int = 10
    save_content_every: int = 1
    figure_every: int = 10
    validate_every: int = 1
    val_max_images: int = 8
    max_steps_per_epoch: int | None = None
    max_epochs_per_run: int | None = None
    precision: str = "auto"
    channels_last: str | bool = "auto"
    cpu_threads: int | None = None
    epoch_definition: str = "tiles"

    def __post_init__(self) -> None:
        if self.epoch_definition not in EPOCH_DEFINITIONS:
            raise ConfigError(f"syndiff_training.epoch_definition must be one of {EPOCH_DEFINITIONS}, "
                              f"got {self.epoch_definition!r}.")
        parse_precision(self.precision)
        parse_channels_last(self.channels_last)

    @property
    def contrasts(self) -> tuple[str, str]:
        return (self.contrast1, self.contrast2)


@dataclass
class TrainingJob:
    """Everything a rank needs; picklable so DDP worker processes can receive it."""

    contrast1_images: Sequence[np.ndarray]
    contrast2_images: Sequence[np.ndarray]
    validation_set: ValidationSet | None
    store: CheckpointStore
    config: SynDiffConfig
    settings: TrainingSettings
    run_logger: RunLogger = field(default_factory=RunLogger)


@dataclass
class TrainingOutcome:
    """What rank 0 reports back: per-epoch history and the last validation."""

    epochs_completed: int
    global_step: int
    history: list[dict[str, float]]
    last_validation: ValidationResult | None
    checkpoint_epochs: list[int]
    resume_state: str | None

    def summary(self, settings: TrainingSettings) -> dict[str, Any]:
        """JSON-able summary for the catalog."""
        return {
            "experiment_name": settings.experiment_name,
            "contrasts": list(settings.contrasts),
            "epochs_completed": self.epochs_completed,
            "global_step": self.global_step,
            "checkpoint_epochs": self.checkpoint_epochs,
            "resume_state": self.resume_state,
            "history": self.history,
            "final_metrics": self.history[-1] if self.history else {},
        }


def _prepare_experiment(job: TrainingJob, context: DistributedContext) -> None:
    """Refuse to silently overwrite an existing experiment; clear it when ``overwrite`` is set."""
    store, settings = job.store, job.settings
    folder = store.experiment_dir(settings.experiment_name)
    existing = sorted(p for p in folder.glob("*.pth")) if folder.is_dir() else []
    if settings.resume or not existing:
        return
    if not settings.overwrite:
        raise ExperimentExistsError(
            f"{folder} already holds SynDiff checkpoints ({len(existing)} files). Set resume: true to continue "
            "that run, overwrite: true to start it over, or choose another experiment_name."
        )
    context.barrier()
    if context.is_main:
        for path in existing:
            path.unlink()
        logger.info("overwrite: true, removed %d old checkpoint files from %s.", len(existing), folder)
    context.barrier()


def _restore(trainer: SynDiffTrainer, job: TrainingJob, context: DistributedContext) -> list[dict[str, float]]:
    """Load the resume state into ``trainer`` and this rank's RNG; returns the past history."""
    settings = job.settings
    state = job.store.load_resume_state(settings.experiment_name)
    path = job.store.resume_path(settings.experiment_name)
    check_matching_model_config(state["config"]["model"], job.config.model, path)
    if tuple(state["contrasts"]) != settings.contrasts:
        raise ResumeMismatchError(
            f"{path} was trained for contrasts {state['contrasts']}, not {list(settings.contrasts)}; "
            "use the same contrast1/contrast2 or another experiment_name."
        )
    trainer.load_state_dict(state["trainer"], f"{path}")
    rng_states = state["rng"]
    if len(rng_states) == context.world_size:
        restore_rng_state(rng_states[context.rank])
    else:
        logger.warning("Resume state holds %d rank RNG states but %d ranks run now: reseeding.",
                       len(rng_states), context.world_size)
        seed_everything(settings.seed + context.rank + 1000 * trainer.epoch)
    logger.info("Resumed %s after epoch %d (step %d).", settings.experiment_name, trainer.epoch, trainer.global_step)
    return list(state["history"])


def _train_epoch(trainer: SynDiffTrainer, sampler: UnpairedCropSampler, job: TrainingJob,
                 context: DistributedContext) -> dict[str, float]:
    """One epoch of optimiser steps; returns the mean of each loss over its steps."""
    opt, settings = job.config.optimization, job.settings
    steps = sampler.num_batches(opt.batch_size, context.world_size, settings.max_steps_per_epoch)
    batches = sampler.iter_batches(trainer.epoch, opt.batch_size, context.rank, context.world_size, steps)
    totals: dict[str, float] = {}
    progress = tqdm(batches, total=steps, desc=f"SynDiff epoch {trainer.epoch + 1}/{opt.num_epochs}",
                    unit="step", disable=not context.is_main, leave=False)
    for batch_c1, batch_c2 in progress:
        losses = trainer.train_step(batch_c1, batch_c2)
        for name, value in losses.items():
            totals[name] = totals.get(name, 0.0) + value
        progress.set_postfix(g=f"{losses['g_total']:.3f}", d=f"{losses['d_diffusive']:.3f}")
    return {f"loss_{name}": value / steps for name, value in totals.items()}


def _is_due(epoch: int, every: int, last: bool) -> bool:
    return last or (every > 0 and epoch % every == 0)


def _end_of_epoch_outputs(trainer: SynDiffTrainer, job: TrainingJob, record: dict[str, float],
                          last: bool) -> ValidationResult | None:
    """Rank 0: validation, metrics, figure and generator weights; returns the validation."""
    settings, epoch = job.settings, trainer.epoch
    validation = None
    if job.validation_set is not None and _is_due(epoch, settings.validate_every, last):
        validation = validate(trainer.generators_for_inference(), job.config.diffusion, settings.contrasts,
                              job.validation_set, trainer.device, compute=trainer.compute)
        record.update(validation.metrics)
        if _is_due(epoch, settings.figure_every, last):
            figure = make_validation_figure(validation, epoch)
            job.run_logger.log_figure(figure, f"syndiff_validation/epoch_{epoch:04d}.png")
    job.run_logger.log_metrics({k: v for k, v in record.items() if k != "epoch"}, step=epoch)
    if _is_due(epoch, settings.save_ckpt_every, last):
        paths = job.store.save_generators(settings.experiment_name, epoch, trainer.generators_for_inference(),
                                          job.config.model, job.config.diffusion, settings.contrasts)
        if last:
            job.run_logger.log_files(paths, "syndiff_generators")
    return validation


def _save_resume_state(trainer: SynDiffTrainer, job: TrainingJob, context: DistributedContext,
                       history: list[dict[str, float]]) -> str | None:
    """Every rank contributes its RNG state; rank 0 writes the file."""
    rng_states = context.gather_objects(capture_rng_state())
    if not context.is_main:
        return None
    state = {
        "trainer": trainer.state_dict(),
        "rng": rng_states,
        "config": job.config.to_dict(),
        "contrasts": list(job.settings.contrasts),
        "settings": asdict(job.settings),
        "history": history,
        "epoch": trainer.epoch,
    }
    return str(job.store.save_resume_state(job.settings.experiment_name, state))


def train_on_rank(job: TrainingJob, context: DistributedContext) -> TrainingOutcome:
    """Train (or continue) the experiment of ``job`` on this rank until ``num_epochs``; every
    rank returns rank 0's outcome (its validation, its resume state path).

    On CPU the run uses ``cpu_threads`` torch threads (see :class:`TrainingSettings`); the
    process's thread count is restored afterwards.
    """
    if context.device.type != "cpu":
        return _train(job, context)
    with torch_cpu_threads(resolve_cpu_threads(job.settings.cpu_threads, context.local_world_size)):
        return _train(job, context)


def _train(job: TrainingJob, context: DistributedContext) -> TrainingOutcome:
    settings, opt = job.settings, job.config.optimization
    _prepare_experiment(job, context)
    seed_everything(settings.seed)
    compute = resolve_compute(settings.precision, settings.channels_last, context.device)
    trainer = SynDiffTrainer(build_networks(job.config.model), job.config, context, compute)
    seed_everything(settings.seed + context.rank)
    history = _restore(trainer, job, context) if settings.resume else []
    sampler = UnpairedCropSampler(job.contrast1_images, job.contrast2_images, job.config.model.image_size,
                                  settings.seed, settings.epoch_definition)
    final_epoch = opt.num_epochs
    if settings.max_epochs_per_run is not None:
        final_epoch = min(final_epoch, trainer.epoch + settings.max_epochs_per_run)
    validation, resume_state = None, None
    while trainer.epoch < final_epoch:
        record = _train_epoch(trainer, sampler, job, context)
        trainer.end_epoch()
        last = trainer.epoch == final_epoch
        record = {"epoch": trainer.epoch, **record}
        if context.is_main:
            validation = _end_of_epoch_outputs(trainer, job, record, trainer.epoch == opt.num_epochs) or validation
            logger.info("SynDiff epoch %d/%d: %s", trainer.epoch, opt.num_epochs,
                        ", ".join(f"{k}={v:.4g}" for k, v in record.items() if k != "epoch"))
        history.append(record)
        if _is_due(trainer.epoch, settings.save_content_every, last):
            resume_state = _save_resume_state(trainer, job, context, history) or resume_state
    context.barrier()
    outcome = TrainingOutcome(trainer.epoch, trainer.global_step, history, validation,
                              job.store.available_epochs(settings.experiment_name), resume_state)
    # Under torchrun every rank's caller (e.g. each rank's kedro run) saves what it returns: the
    # same outcome on every rank makes those writes identical.
    return context.from_main(outcome)


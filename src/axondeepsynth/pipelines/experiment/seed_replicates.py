"""Wiring of the experiment's seed replicates: the SynDiff-dependent arms again, with other seeds.

Replicate slot ``k`` (:data:`~axondeepsynth.parameters.experiment.SEED_SLOTS`) is namespace
``seed_<k>``: it derives its ``syndiff_training`` settings (seed + ``k``), trains SynDiff into its
own checkpoint folder, and runs the adaptation, tutorship and non-diffusive adaptation arms up to
their per-image metrics, reading the shared data sets, target images and source model. Every
node of a slot skips when ``experiment.seeds`` leaves it out (:mod:`.seed_slots`), and the slot's
catalog entries are the ``"seed_{replicate}.…"`` factories, which record a skipped slot.
"""

from __future__ import annotations

from functools import partial, update_wrapper

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.experiment import SEED_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.baselines.pipeline import SOURCE_MODEL
from axondeepsynth.pipelines.experiment.seed_slots import in_seed_slot
from axondeepsynth.pipelines.experiment.seed_spread_report import summarise_seed_spread, with_slot_seed
from axondeepsynth.pipelines.experiment.syndiff_arms import REPLICATED_ARMS, syndiff_arms
from axondeepsynth.pipelines.syndiff_training.pipeline import syndiff_training

SHARED_INPUTS = ("syndiff_train", "syndiff_val", "syndiff_paired", "tiles_to_translate", "target_nnunet_raw",
                 *SOURCE_MODEL.values())
"""What every slot reads from the main run: the SynDiff sets, the tiles and target images, the source model."""


def seed_replicate(slot: int) -> Pipeline:
    """Replicate slot ``slot``: its SynDiff training and the SynDiff-dependent arms, under ``seed_<slot>``."""
    settings = Node(update_wrapper(partial(with_slot_seed, slot=slot), with_slot_seed), "params:syndiff_training",
                    "syndiff_training", name="derive_syndiff_training")
    training = syndiff_training("syndiff_training", run_namespace=f"seed_{slot}")
    replicate = Pipeline([settings]) + training + syndiff_arms()
    return in_seed_slot(as_arm(replicate, f"seed_{slot}", {name: name for name in SHARED_INPUTS}), slot)


def seed_replicates() -> Pipeline:
    """Every replicate slot, and the spread of the replicated arms over the seeds that ran."""
    metrics = {arm: f"{arm}.segmentation_metrics" for arm in REPLICATED_ARMS}
    slot_metrics = {f"seed_{slot}_{arm}": f"seed_{slot}.{entry}"
                    for slot in SEED_SLOTS for arm, entry in metrics.items()}
    spread = Node(summarise_seed_spread,
                  {"experiment": "params:experiment", "syndiff_training": "params:syndiff_training",
                   **metrics, **slot_metrics},
                  ["experiment_seed_spread", "experiment_seed_spread_markdown", "experiment_seed_spread_mlflow"],
                  name="summarise_seed_spread")
    return sum((seed_replicate(slot) for slot in SEED_SLOTS), Pipeline([spread]))

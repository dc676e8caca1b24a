"""Wiring of the syndiff_training pipeline (see nodes.py for what the node does)."""

from functools import partial, update_wrapper

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.syndiff_training.nodes import train_syndiff


def syndiff_training(settings: str = "params:syndiff_training", run_namespace: str | None = None) -> Pipeline:
    """Train SynDiff with ``settings`` (the shared block, or a replicate slot's copy of it with
    its own seed; ``run_namespace`` then prefixes its per-epoch MLflow logs)."""
    train = train_syndiff if run_namespace is None else update_wrapper(
        partial(train_syndiff, run_namespace=run_namespace), train_syndiff)
    return Pipeline([
        Node(train, ["syndiff_train", "syndiff_val", "syndiff_paired", "syndiff_checkpoints", settings],
             ["syndiff_model", "syndiff_training_summary", "syndiff_validation_figure"],
             name="train_syndiff"),
    ])


def create_pipeline(**kwargs) -> Pipeline:
    return syndiff_training()

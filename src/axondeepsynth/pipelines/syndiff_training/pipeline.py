"""Wiring of the syndiff_training pipeline (see nodes.py for what the node does)."""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.syndiff_training.nodes import train_syndiff


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
        Node(train_syndiff,
             ["syndiff_train", "syndiff_val", "syndiff_paired", "syndiff_checkpoints", "params:syndiff_training"],
             ["syndiff_model", "syndiff_training_summary", "syndiff_validation_figure"],
             name="train_syndiff"),
    ])

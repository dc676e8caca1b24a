"""Wiring of the translation pipeline (see nodes.py for what each step does)."""

from collections.abc import Sequence

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.translation.nodes import (
    measure_translation,
    plan_translation,
    plan_translation_after,
    plot_translation,
)


def create_pipeline(run_after: Sequence[str] = (), **kwargs) -> Pipeline:
    """The translation pipeline.

    Args:
        run_after: catalog entries the planning node must wait for although it does not read
            them, e.g. ``["syndiff_training_summary", "tiles_to_translate"]`` when the experiment
            composes training, data_engineering and translation in one run (the checkpoint store
            and the tile set are located through parameters, which carry no ordering).
    """
    plan = plan_translation_after if run_after else plan_translation
    return Pipeline(
        [
            Node(
                plan,
                ["syndiff_checkpoints", "params:translation", *run_after],
                "translation_output",
                name="plan_translation",
            ),
            Node(
                measure_translation,
                ["translation_output", "params:translation"],
                "translation_metrics",
                name="measure_translation",
            ),
            Node(
                plot_translation,
                ["translation_output", "params:translation"],
                "translation_figure",
                name="plot_translation",
            ),
        ]
    )

"""Wiring of the translation pipeline (see nodes.py for what each step does).

In a composed run, make ``plan_translation`` wait for the training and the tile set with
:func:`axondeepsynth.pipeline_ordering.run_after` (the checkpoint store and the tile set are
located through parameters, which carry no ordering).
"""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.translation.nodes import measure_translation, plan_translation, plot_translation


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                plan_translation,
                ["syndiff_checkpoints", "params:translation"],
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

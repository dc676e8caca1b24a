"""Wiring of the faithfulness pipeline (see nodes.py for what each step does)."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.faithfulness.nodes import (
    plot_worst_translations,
    score_translations,
    summarise_translations,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Score translations against their carried labels -> summary and warning -> figure.

    Free inputs: ``translation_output`` (the translation manifest), ``params:faithfulness`` and
    ``params:faithfulness.oracle`` (``segmentation``-shaped, so an experiment can map it onto an
    arm's segmentation parameters). The oracle is located through parameters; a composed run
    orders ``score_translations`` after the oracle's training with
    :func:`~axondeepsynth.pipeline_ordering.run_after`.
    """
    params = ["params:faithfulness", "params:faithfulness.oracle"]
    return Pipeline(
        [
            Node(
                score_translations,
                ["translation_output", *params],
                ["faithfulness_table", "faithfulness_examples"],
                name="score_translations",
            ),
            Node(
                summarise_translations,
                ["faithfulness_table", *params],
                "faithfulness_summary",
                name="summarise_translations",
            ),
            Node(
                plot_worst_translations,
                ["faithfulness_examples", "translation_output"],
                "faithfulness_figure",
                name="plot_worst_translations",
            ),
        ]
    )

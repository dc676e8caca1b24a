"""Wiring of the faithfulness pipeline (see nodes.py for what each step does)."""

from __future__ import annotations

from collections.abc import Sequence

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.faithfulness.nodes import (
    plot_worst_translations,
    score_translations,
    summarise_translations,
)


def create_pipeline(run_after: Sequence[str] = (), **kwargs) -> Pipeline:
    """Score translations against their carried labels -> summary and warning -> figure.

    Free inputs: ``translation_output`` (the translation manifest), ``params:faithfulness`` and
    ``params:faithfulness.oracle`` (``segmentation``-shaped; an experiment may map it onto the
    oracle arm's ``params:<ns>.segmentation``).

    Args:
        run_after: catalog entries the scoring node must wait for although it does not read them,
            e.g. the oracle's ``nnunet_fold_<k>`` records when training and faithfulness run in one
            ``kedro run`` (the oracle model is located through parameters, which carry no ordering).
    """
    params = ["params:faithfulness", "params:faithfulness.oracle"]
    return Pipeline(
        [
            Node(
                score_translations,
                ["translation_output", *params, *run_after],
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

"""Wiring of the faithfulness pipeline (see nodes.py for what each step does).

:func:`faithfulness_arm` is the building block without namespace: free inputs ``translated`` (the
arm's translation entry), ``oracle_plan`` and ``oracle_fold_<slot>`` (the arm whose nnU-Net knows
the translations' modality) and, for adaptation, ``labelled_source``. :func:`create_pipeline` is
both translating arms as the experiment runs them: tutorship scored by the oracle arm, adaptation
by the source model.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.faithfulness.nodes import (
    plot_worst_translations,
    score_adapted_translations,
    score_translations,
    summarise_translations,
)

ORACLE_FOLDS = tuple(f"oracle_fold_{slot}" for slot in FOLD_SLOTS)


def faithfulness_arm(adapted: bool) -> Pipeline:
    """Score ``translated`` with the oracle -> summary and warning -> figure of the worst."""
    scoring = ["oracle_plan", "params:segmentation.prediction", "params:segmentation.evaluation",
               "params:faithfulness", "params:inputs.paired", *ORACLE_FOLDS]
    score = (Node(score_adapted_translations, ["translated", "labelled_source", *scoring],
                  ["faithfulness_table", "faithfulness_examples"], name="score_translations") if adapted else
             Node(score_translations, ["translated", *scoring], ["faithfulness_table", "faithfulness_examples"],
                  name="score_translations"))
    return Pipeline([
        score,
        Node(summarise_translations, ["faithfulness_table", "params:faithfulness"],
             ["faithfulness_summary", "faithfulness_mlflow"], name="summarise_translations"),
        Node(plot_worst_translations, ["faithfulness_examples", "translated"], "faithfulness_figure",
             name="plot_worst_translations"),
    ])


def _oracle_inputs(oracle: str) -> dict[str, str]:
    return {"oracle_plan": f"{oracle}.nnunet_plan",
            **{f"oracle_fold_{slot}": f"{oracle}.nnunet_fold_{slot}" for slot in FOLD_SLOTS}}


def create_pipeline(**kwargs) -> Pipeline:
    tutorship = as_arm(faithfulness_arm(adapted=False), "tutorship",
                       {"translated": "tutorship.nnunet_raw", **_oracle_inputs("oracle")})
    adaptation = as_arm(faithfulness_arm(adapted=True), "adaptation",
                        {"translated": "adaptation.translated_images", "labelled_source": "target_nnunet_raw",
                         **_oracle_inputs("source_model")})
    return tutorship + adaptation

"""Wiring of the experiment: every arm of "how much does translation help?" in one ``kedro run``.

data_engineering and syndiff_training run once, un-namespaced. Each arm reuses the translation,
segmentation and faithfulness pipelines under its own namespace, its parameters mapped onto a
block of ``parameters_experiment.yml`` (built there from the pipelines' own defaults). The
pipelines locate nnU-Net datasets and checkpoints through parameters, which carry no ordering,
so :func:`~axondeepsynth.pipeline_ordering.run_after` adds the edges a composed run needs.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline, pipeline

from axondeepsynth.pipeline_ordering import run_after
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_nnunet_raw_dataset
from axondeepsynth.pipelines.data_engineering.pipeline import create_pipeline as data_engineering
from axondeepsynth.pipelines.experiment.nodes import build_experiment_report
from axondeepsynth.pipelines.faithfulness.pipeline import create_pipeline as faithfulness
from axondeepsynth.pipelines.segmentation.pipeline import configured_folds
from axondeepsynth.pipelines.segmentation.pipeline import create_pipeline as segmentation
from axondeepsynth.pipelines.syndiff_training.pipeline import create_pipeline as syndiff_training
from axondeepsynth.pipelines.translation.pipeline import create_pipeline as translation

SHARED_ENTRIES = frozenset({"nnunet_export_summary", "experiment_target_dataset", "syndiff_training_summary",
                            "tiles_to_translate", "phantoms"})
"""Entries written once, outside any arm, that arms wait for."""


def _params_of(pipe: Pipeline, prefix: str) -> list[str]:
    return sorted(name for name in pipe.inputs() if name.startswith(f"params:{prefix}"))


def _arm(pipe: Pipeline, arm: str, prefix: str, shared: dict[str, str] | list[str] = ()) -> Pipeline:
    """``pipe`` under namespace ``arm``, its ``params:<prefix>...`` read from
    ``params:experiment.<arm>.<prefix>...``; ``shared`` names keep (or map to) un-namespaced entries."""
    mapping = {name: name.replace("params:", f"params:experiment.{arm}.", 1) for name in _params_of(pipe, prefix)}
    inputs = shared if isinstance(shared, dict) else {name: name for name in shared}
    return pipeline(pipe, namespace=arm, parameters=mapping, inputs=inputs)


def _segmentation_arm(arm: str, ready: list[str], test_images_ready: list[str]) -> Pipeline:
    """Train and evaluate one nnU-Net; ``ready`` entries (namespaced if not shared) precede planning."""
    pipe = run_after(segmentation(), "prepare_nnunet_dataset", ready)
    pipe = run_after(pipe, "predict_segmentations", test_images_ready)
    shared = [name for name in (*ready, *test_images_ready) if name in SHARED_ENTRIES]
    return _arm(pipe, arm, "segmentation", shared)


def _translation_arm(arm: str, ready: list[str]) -> Pipeline:
    pipe = run_after(translation(), "plan_translation", ready)
    return _arm(pipe, arm, "translation", ["syndiff_checkpoints", *ready])


def _faithfulness_arm(arm: str, oracle: str) -> Pipeline:
    """Score ``arm``'s translations with the model of arm ``oracle`` (trained on the translations'
    modality)."""
    pipe = _arm(faithfulness(), arm, "faithfulness")
    return run_after(pipe, f"{arm}.score_translations", [f"{oracle}.nnunet_fold_{fold}" for fold in configured_folds()])


def _adaptation_segmentation() -> Pipeline:
    """Only inference: the source model segments the translated target images."""
    inference = run_after(segmentation().only_nodes_with_tags("inference"), "predict_segmentations",
                          ["translation_output"])
    shared = {"nnunet_plan": "source_model.nnunet_plan",
              **{f"nnunet_fold_{fold}": f"source_model.nnunet_fold_{fold}" for fold in configured_folds()}}
    return _arm(inference, "adaptation", "segmentation", shared)


def create_pipeline(**kwargs) -> Pipeline:
    """Phantoms -> SynDiff -> tutorship, adaptation, no-adaptation and oracle arms -> one report."""
    target_dataset = run_after(Pipeline([
        Node(export_nnunet_raw_dataset,
             ["params:experiment.target.source_dir", "params:experiment.target", "params:experiment.target_nnunet"],
             "experiment_target_dataset", name="export_target_dataset"),
    ]), "export_target_dataset", ["phantoms"])
    trained = ["syndiff_training_summary"]
    arms = [
        _segmentation_arm("source_model", ["nnunet_export_summary"], ["experiment_target_dataset"]),
        _segmentation_arm("oracle", ["experiment_target_dataset"], []),
        _translation_arm("tutorship", [*trained, "tiles_to_translate"]),
        _segmentation_arm("tutorship", ["translation_output"], ["experiment_target_dataset"]),
        _translation_arm("adaptation", [*trained, "experiment_target_dataset"]),
        _adaptation_segmentation(),
        _faithfulness_arm("tutorship", oracle="oracle"),
        _faithfulness_arm("adaptation", oracle="source_model"),
    ]
    report = Pipeline([
        Node(
            build_experiment_report,
            {
                "no_adaptation": "source_model.segmentation_metrics",
                "adaptation": "adaptation.segmentation_metrics",
                "tutorship": "tutorship.segmentation_metrics",
                "oracle": "oracle.segmentation_metrics",
                "no_adaptation_masks": "source_model.segmentation_masks",
                "adaptation_masks": "adaptation.segmentation_masks",
                "tutorship_masks": "tutorship.segmentation_masks",
                "oracle_masks": "oracle.segmentation_masks",
                "no_adaptation_cases": "source_model.segmentation_cases",
                "adaptation_cases": "adaptation.segmentation_cases",
                "tutorship_cases": "tutorship.segmentation_cases",
                "oracle_cases": "oracle.segmentation_cases",
                "tutorship_translation": "tutorship.translation_metrics",
                "adaptation_translation": "adaptation.translation_metrics",
                "tutorship_faithfulness": "tutorship.faithfulness_summary",
                "adaptation_faithfulness": "adaptation.faithfulness_summary",
                "syndiff_summary": "syndiff_training_summary",
            },
            ["experiment_report_table", "experiment_report_markdown", "experiment_arms_figure"],
            name="build_experiment_report",
        )
    ])
    return data_engineering() + syndiff_training() + target_dataset + sum(arms, Pipeline([])) + report

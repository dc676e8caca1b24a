"""Wiring of the experiment: every arm of "how much does translation help?" in one ``kedro run``.

data_engineering and syndiff_training run once, un-namespaced; the translation and faithfulness
pipelines bring their arms (``tutorship``, ``adaptation``); each nnU-Net arm is the segmentation
building block under its namespace, its training set and test images mapped onto shared catalog
entries. Every hand-off is a dataset, so Kedro orders the whole run from the data alone, and every
arm reads the one block of each pipeline's parameters.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.baselines import pipeline as baselines
from axondeepsynth.pipelines.data_engineering.pipeline import create_pipeline as data_engineering
from axondeepsynth.pipelines.experiment.baselines_report import measure_arm_costs
from axondeepsynth.pipelines.experiment.morphometrics_report import compare_arm_morphometrics
from axondeepsynth.pipelines.experiment.nodes import build_experiment_report
from axondeepsynth.pipelines.experiment.seed_replicates import seed_replicates
from axondeepsynth.pipelines.experiment.served_models import adaptation_model_spec, tutorship_model_spec
from axondeepsynth.pipelines.experiment.syndiff_arms import adaptation_segmentation, tutorship_segmentation
from axondeepsynth.pipelines.faithfulness.pipeline import create_pipeline as faithfulness
from axondeepsynth.pipelines.segmentation.pipeline import segmentation_arm
from axondeepsynth.pipelines.syndiff_training.pipeline import create_pipeline as syndiff_training
from axondeepsynth.pipelines.translation.pipeline import create_pipeline as translation
from axondeepsynth.pipelines.translation_checks import pipeline as translation_checks

TRAINING_SETS = {"source_model": "source_nnunet_raw", "oracle": "target_nnunet_raw"}
"""The nnU-Net arms that do not depend on SynDiff and the raw dataset each trains on; like the
tutorship arm (:mod:`.syndiff_arms`) they are scored on the target's imagesTs."""


def _segmentation_arms() -> Pipeline:
    arms = [as_arm(segmentation_arm(), arm, {"nnunet_raw": training_set, "test_images": "target_nnunet_raw"})
            for arm, training_set in TRAINING_SETS.items()]
    return sum(arms, tutorship_segmentation() + adaptation_segmentation())


BASELINE_REPORT_ARMS = {"histogram_matching": "histogram_matching", "augmentation": "augmentation",
                        "non_diffusive_adaptation": "non_diffusive_adaptation"}
"""Baseline namespaces in the experiment -> their report rows. ``non_diffusive_tutorship`` (another
nnU-Net training, ~2 min on 2 CPU cores) is left to ``kedro run --pipeline baselines`` to keep the
demo under 15 minutes."""

EXPERIMENT_KID_ARMS = ("adaptation", "tutorship", "histogram_matching", "non_diffusive_adaptation")

COST_INPUTS = {
    "syndiff_summary": "syndiff_training_summary",
    "matching": "histogram_matching.translated_images",
    **{f"{namespace}_fold_{slot}": f"{namespace}.nnunet_fold_{slot}"
       for namespace in ("source_model", "oracle", "tutorship", "augmentation") for slot in FOLD_SLOTS},
    **{f"{arm}_translation": f"{arm}.translation_metrics"
       for arm in ("adaptation", "tutorship", "non_diffusive_adaptation")},
}


def _baselines() -> Pipeline:
    """The cheap arms, the trust map and KID of the translating arms, and what every arm cost."""
    arms = (baselines.histogram_matching_arm() + baselines.augmentation_arm()
            + baselines.non_diffusive_adaptation_arm())
    checks = translation_checks.trust_pipeline() + sum((translation_checks.kid_arm(arm) for arm in EXPERIMENT_KID_ARMS),
                                                       Pipeline([]))
    costs = Pipeline([Node(measure_arm_costs, COST_INPUTS, "experiment_arm_costs", name="measure_arm_costs")])
    return arms + checks + costs


REPORTED_ARMS = {"no_adaptation": "source_model", "adaptation": "adaptation", "tutorship": "tutorship",
                 "oracle": "oracle"}
"""Report name of each arm -> its namespace."""


def _folds(arm: str) -> list[str]:
    return [f"{arm}.nnunet_fold_{slot}" for slot in FOLD_SLOTS]


def _deliverables() -> Pipeline:
    """What the lab takes away: morphometric agreement per arm, and the run's models as MLflow models."""
    arm_outputs = {f"{name}_{kind}": f"{arm}.segmentation_{kind}" for name, arm in REPORTED_ARMS.items()
                   for kind in ("masks", "cases")}
    settings = ["params:segmentation.prediction", "params:segmentation.evaluation", "params:inputs"]
    return Pipeline([
        Node(compare_arm_morphometrics, {"evaluation": "params:segmentation.evaluation", **arm_outputs},
             ["experiment_morphometrics_table", "experiment_morphometrics_markdown", "experiment_morphometrics_figure"],
             name="compare_arm_morphometrics"),
        Node(tutorship_model_spec, [*settings, *_folds("tutorship")], "tutorship_model", name="log_tutorship_model"),
        Node(adaptation_model_spec, ["syndiff_model", "params:translation", *settings, *_folds("source_model")],
             "adaptation_model", name="log_adaptation_model"),
    ])


def create_pipeline(**kwargs) -> Pipeline:
    """Phantoms -> SynDiff -> tutorship, adaptation, no-adaptation and oracle arms -> one report."""
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
                "transductive": "params:inputs.target.transductive",
                "morphometrics_markdown": "experiment_morphometrics_markdown",
                "seed_spread_markdown": "experiment_seed_spread_markdown",
                **{key: f"{arm}.{entry}" for arm, report_arm in BASELINE_REPORT_ARMS.items()
                   for key, entry in ((report_arm, "segmentation_metrics"),
                                      (f"{report_arm}_masks", "segmentation_masks"),
                                      (f"{report_arm}_cases", "segmentation_cases"))},
                "non_diffusive_adaptation_translation": "non_diffusive_adaptation.translation_metrics",
                **{f"{arm}_kid": f"{arm}.kid" for arm in EXPERIMENT_KID_ARMS},
                "trust_summary": "adaptation.trust_summary",
                "arm_costs": "experiment_arm_costs",
            },
            ["experiment_report_table", "experiment_report_markdown", "experiment_arms_figure", "experiment_mlflow"],
            name="build_experiment_report",
        )
    ])
    return (data_engineering() + syndiff_training() + translation() + _segmentation_arms() + faithfulness()
            + _baselines() + seed_replicates() + report + _deliverables())

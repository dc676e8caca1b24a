"""Wiring of the segmentation pipeline: plan, one training node per fold slot, predict, evaluate.

Kedro builds pipelines before it reads parameters, so there is a fixed node per fold slot
(``0``-``4``, ``all``); each trains only when ``segmentation.training.folds`` selects it and
otherwise returns a "skipped" record, so folds change with ``--params`` or ``--env`` like any other
parameter, and independent slots can train side by side under ``--runner ParallelRunner``.

Building blocks without namespace: :func:`segmentation_arm` (free inputs ``nnunet_raw``, the
dataset to train on, and ``test_images``, the nnU-Net raw dataset whose ``imagesTs`` are
segmented) and :func:`adaptation_inference` (free inputs ``nnunet_plan``, ``nnunet_fold_<slot>``,
``translated_images``, ``test_images``). :func:`create_pipeline` is the standalone run: the
source model on its own held-out images, under namespace ``segmentation``.
"""

from __future__ import annotations

from functools import partial, update_wrapper

from kedro.pipeline import Node, Pipeline

from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.segmentation.nodes import (
    axondeepseg_results,
    evaluate_segmentations,
    list_adapted_cases,
    list_test_cases,
    predict_segmentations,
    prepare_nnunet_dataset,
    train_nnunet_fold,
)

FOLD_ENTRIES = tuple(f"nnunet_fold_{slot}" for slot in FOLD_SLOTS)


def _fold_node(slot: str, training: str) -> Node:
    train = update_wrapper(partial(train_nnunet_fold, slot=slot), train_nnunet_fold)
    return Node(train, ["nnunet_plan", "params:segmentation.nnunet", training],
                [f"nnunet_fold_{slot}", f"fold_{slot}_curves"], name=f"train_nnunet_fold_{slot}")


def _training(training: str) -> list[Node]:
    return [
        Node(prepare_nnunet_dataset, ["nnunet_raw", "params:segmentation.nnunet", "params:segmentation.planning"],
             "nnunet_plan", name="prepare_nnunet_dataset"),
        *(_fold_node(slot, training) for slot in FOLD_SLOTS),
    ]


def _inference(cases: Node) -> list[Node]:
    return [
        cases,
        Node(predict_segmentations,
             ["nnunet_plan", "cases_to_segment", "params:segmentation.nnunet", "params:segmentation.prediction",
              *FOLD_ENTRIES],
             ["segmentation_masks", "segmentation_cases", "prediction_mlflow"], name="predict_segmentations",
             tags=["inference"]),
        Node(evaluate_segmentations, ["segmentation_masks", "segmentation_cases", "params:segmentation.evaluation"],
             ["segmentation_metrics", "segmentation_morphometrics", "segmentation_overlays", "evaluation_mlflow"],
             name="evaluate_segmentations", tags=["inference"]),
        Node(axondeepseg_results, ["segmentation_masks", "segmentation_cases", "params:segmentation.evaluation"],
             "axondeepseg_results", name="write_axondeepseg_results", tags=["inference"]),
    ]


def segmentation_arm(training: str = "params:segmentation.training") -> Pipeline:
    """Train on ``nnunet_raw``, segment the ``imagesTs`` of ``test_images`` and score them.

    ``training`` names the training settings (``TrainingParams``): the shared parameter block, or
    an entry an arm derives from it (the augmentation baseline's other trainer).
    """
    cases = Node(list_test_cases, ["test_images", "params:segmentation.prediction"], "cases_to_segment",
                 name="list_test_cases", tags=["inference"])
    return Pipeline([*_training(training), *_inference(cases)])


def adaptation_inference() -> Pipeline:
    """An already trained model (``nnunet_plan`` + folds) segments ``translated_images``, scored
    against the ``labelsTs`` of ``test_images``."""
    cases = Node(list_adapted_cases, ["translated_images", "test_images", "params:segmentation.prediction"],
                 "cases_to_segment", name="list_adapted_cases", tags=["inference"])
    return Pipeline(_inference(cases))


def create_pipeline(**kwargs) -> Pipeline:
    """The source model on its own held-out images (``kedro run --pipeline segmentation``)."""
    return as_arm(segmentation_arm(), "segmentation",
                  {"nnunet_raw": "source_nnunet_raw", "test_images": "source_nnunet_raw"})

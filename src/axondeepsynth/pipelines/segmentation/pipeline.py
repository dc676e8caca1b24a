"""Wiring of the segmentation pipeline: one training node per fold, generated from the parameters.

Kedro builds pipelines before it reads parameters, so the folds (``segmentation.training.folds``)
are read here from the project's configuration (``conf/base`` + ``conf/<KEDRO_ENV or local>``).
Change them in a configuration file, not with ``--params``, to change the set of nodes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import partial, update_wrapper
from pathlib import Path

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.segmentation.nodes import (
    evaluate_segmentations,
    predict_segmentations,
    prepare_nnunet_dataset,
    train_nnunet_fold,
)

logger = logging.getLogger(__name__)

DEFAULT_FOLDS: tuple[int | str, ...] = (0,)


def configured_folds() -> list[int | str]:
    """``segmentation.training.folds`` from the project configuration in the working directory."""
    from kedro.framework.project import settings

    conf_source = Path.cwd() / settings.CONF_SOURCE
    if not conf_source.is_dir():
        return list(DEFAULT_FOLDS)
    loader = settings.CONFIG_LOADER_CLASS(conf_source=str(conf_source), env=os.environ.get("KEDRO_ENV"),
                                          **settings.CONFIG_LOADER_ARGS)
    folds = loader["parameters"].get("segmentation", {}).get("training", {}).get("folds", DEFAULT_FOLDS)
    return [folds] if isinstance(folds, (int, str)) else list(folds)


def _fold_node(fold: int | str) -> Node:
    train = update_wrapper(partial(train_nnunet_fold, fold=fold), train_nnunet_fold)
    return Node(
        train,
        inputs=["nnunet_plan", "params:segmentation.nnunet", "params:segmentation.training"],
        outputs=f"nnunet_fold_{fold}",
        name=f"train_nnunet_fold_{fold}",
    )


def create_pipeline(folds: Sequence[int | str] | None = None, **kwargs) -> Pipeline:
    """Plan -> train each fold -> predict with their ensemble -> evaluate.

    Args:
        folds: folds to train; ``None`` reads them from the configuration.
    """
    folds = configured_folds() if folds is None else list(folds)
    return Pipeline([
        Node(prepare_nnunet_dataset, inputs=["params:segmentation.nnunet", "params:segmentation.planning"],
             outputs="nnunet_plan", name="prepare_nnunet_dataset"),
        *(_fold_node(fold) for fold in folds),
        Node(predict_segmentations,
             inputs=["nnunet_plan", "params:segmentation.nnunet", "params:segmentation.prediction",
                     *(f"nnunet_fold_{fold}" for fold in folds)],
             outputs=["segmentation_masks", "segmentation_cases"], name="predict_segmentations",
             tags=["inference"]),
        Node(evaluate_segmentations,
             inputs=["segmentation_masks", "segmentation_cases", "params:segmentation.evaluation"],
             outputs=["segmentation_metrics", "segmentation_morphometrics", "segmentation_overlays"],
             name="evaluate_segmentations", tags=["inference"]),
    ])

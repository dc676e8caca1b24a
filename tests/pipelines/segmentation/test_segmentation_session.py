"""`kedro run --pipeline segmentation` through a KedroSession after data_engineering (a copy of the
session's engineered project): catalog files, folds changed with runtime parameters (as `--params`),
MLflow metrics."""

from __future__ import annotations

import mlflow
import pandas as pd
from kedro.framework.session import KedroSession


def test_session_run_writes_reports_masks_and_mlflow_metrics(engineered_copy, segmentation_params):
    with KedroSession.create(project_path=engineered_copy, env="test",
                             runtime_params={"segmentation": segmentation_params}) as session:
        session.run(pipeline_names=["segmentation"])

    reports = engineered_copy / "data" / "08_reporting" / "segmentation"
    metrics = pd.read_csv(reports / "segmentation_metrics.csv")
    morphometrics = pd.read_csv(reports / "segmentation_morphometrics.csv")
    assert len(metrics) == 2 and {"dice_axon", "g_ratio_mae", "axon_precision"} <= set(metrics.columns)
    assert {"image", "axon_diameter", "g_ratio", "myelin_thickness"} <= set(morphometrics.columns)
    masks = engineered_copy / "data" / "07_model_output" / "segmentation" / "masks"
    assert len(list(masks.glob("*_seg-axonmyelin.png"))) == 2
    records = engineered_copy / "data" / "06_models" / "nnunet_records" / "segmentation"
    assert "checkpoint_final.pth" in pd.read_json(records / "fold_all.json", typ="series")["checkpoints"]
    assert pd.read_json(records / "fold_0.json", typ="series")["skipped"], "fold 0 deselected by the runtime params"

    run = mlflow.search_runs(search_all_experiments=True, order_by=["attribute.start_time DESC"],
                             output_format="list")[0]
    assert abs(run.data.metrics["segmentation.dice_axon"] - metrics["dice_axon"].mean()) < 1e-6
    artifacts = {a.path for a in mlflow.MlflowClient().list_artifacts(run.info.run_id, "segmentation")}
    assert {"segmentation/segmentation_metrics.csv", "segmentation/segmentation_overlays.png"} <= artifacts

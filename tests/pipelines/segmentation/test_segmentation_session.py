"""`kedro run --pipeline segmentation` through a KedroSession: catalog files, folds from conf, MLflow metrics."""

from __future__ import annotations

import mlflow
import pandas as pd
import yaml
from kedro.framework.session import KedroSession


def test_session_run_writes_reports_masks_and_mlflow_metrics(kedro_project, segmentation_params):
    conf_local = kedro_project / "conf" / "local"
    (conf_local / "parameters_segmentation.yml").write_text(yaml.safe_dump({"segmentation": segmentation_params}))

    with KedroSession.create(project_path=kedro_project) as session:
        session.run(pipeline_name="segmentation")

    metrics = pd.read_csv(kedro_project / "data" / "08_reporting" / "segmentation" / "metrics.csv")
    morphometrics = pd.read_csv(kedro_project / "data" / "08_reporting" / "segmentation" / "morphometrics.csv")
    assert len(metrics) == 2 and {"dice_axon", "g_ratio_mae", "axon_precision"} <= set(metrics.columns)
    assert {"image", "axon_diameter", "g_ratio", "myelin_thickness"} <= set(morphometrics.columns)
    masks = kedro_project / "data" / "07_model_output" / "segmentation" / "masks"
    assert len(list(masks.glob("*_seg-axonmyelin.png"))) == 2
    assert (kedro_project / "data" / "06_models" / "nnunet_records" / "fold_all.json").is_file()

    run = mlflow.search_runs(search_all_experiments=True, order_by=["attribute.start_time DESC"],
                             output_format="list")[0]
    assert abs(run.data.metrics["segmentation.dice_axon"] - metrics["dice_axon"].mean()) < 1e-6
    artifacts = {a.path for a in mlflow.MlflowClient().list_artifacts(run.info.run_id, "segmentation")}
    assert {"segmentation/metrics.csv", "segmentation/overlays.png"} <= artifacts

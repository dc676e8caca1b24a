"""The catalog dataset logs a served model into the active run and loads the latest one back."""

from __future__ import annotations

import mlflow
import numpy as np
import pytest
from kedro.io import DatasetError

from axondeepsynth.datasets.mlflow_served_model_dataset import MlflowServedModelDataset
from axondeepsynth.serving.model_logging import SegmenterSpec
from axondeepsynth.serving.nnunet_segmenter_model import SegmenterConfig
from axondeepsynth.serving.payload import decode_png, input_frame


def test_saving_logs_in_the_active_run_and_loading_predicts(trained_nnunet_dir, phantom_sem_dataset):
    dataset = MlflowServedModelDataset(name="dataset_test_segmenter")
    assert not dataset.exists()
    with pytest.raises(DatasetError, match="dataset_test_segmenter"):
        dataset.load()
    spec = SegmenterSpec(trained_nnunet_dir, SegmenterConfig(use_mirroring=False, device="cpu"), {"arm": "test"})
    with mlflow.start_run() as run:
        dataset.save(spec)
    [logged] = mlflow.search_logged_models(filter_string="name = 'dataset_test_segmenter'", output_format="list")
    assert logged.source_run_id == run.info.run_id
    model = dataset.load()
    image = sorted((phantom_sem_dataset / "imagesTs").glob("*.png"))[0]
    result = model.predict(input_frame([image], [0.1]))
    labels = decode_png(result["labels_png"].iloc[0])
    assert labels.shape == (128, 128) and set(np.unique(labels)) <= {0, 1, 2}

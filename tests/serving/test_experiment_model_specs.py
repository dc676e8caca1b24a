"""The experiment's model-logging nodes (pipelines/experiment/served_models.py) on real artifacts:
fold records of a phantom-trained nnU-Net, a small SynDiff, and the shipped parameter blocks.
(Here rather than under tests/pipelines/experiment: they need this folder's fixtures.)"""

from __future__ import annotations

from pathlib import Path

import mlflow
import numpy as np
import yaml

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment, TrainedSynDiff
from axondeepsynth.datasets.mlflow_served_model_dataset import MlflowServedModelDataset
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.parameters.blocks import parse_block
from axondeepsynth.pipelines.experiment.served_models import adaptation_model_spec, tutorship_model_spec
from axondeepsynth.serving.payload import decode_png, input_frame

CONF = Path(__file__).resolve().parents[2] / "conf" / "base"


def _block(name: str):
    return parse_block(name, yaml.safe_load((CONF / f"parameters_{name}.yml").read_text())[name])


def test_specs_from_fold_records_log_models_that_segment(trained_fold_record, small_syndiff, phantom_root):
    segmentation, inputs = _block("segmentation"), _block("inputs")
    skipped = {"fold": 0, "skipped": True}
    tutorship = tutorship_model_spec(segmentation.prediction, segmentation.evaluation, inputs,
                                     skipped, trained_fold_record)
    assert tutorship.nnunet_model_dir == Path(trained_fold_record["model_dir"])
    assert tuple(tutorship.segmenter.folds) == ("all",) and tutorship.metadata["modality"] == inputs.target.modality

    syndiff = TrainedSynDiff(SynDiffExperiment(small_syndiff, "serve_exp"), ("sem", "tem"))
    adaptation = adaptation_model_spec(syndiff, _block("translation"), segmentation.prediction,
                                       segmentation.evaluation, inputs, skipped, trained_fold_record)
    assert adaptation.translation.source_contrast == "tem"
    assert adaptation.translation.working_pixel_size_um == inputs.working_pixel_size_um

    dataset = MlflowServedModelDataset(name="experiment_spec_adaptation")
    with mlflow.start_run():
        dataset.save(adaptation)
    record = discover_images(phantom_root / "tem_bids", modality="tem")[0]
    result = dataset.load().predict(input_frame([record.path], [record.pixel_size_um]))
    labels = decode_png(result["labels_png"].iloc[0])
    assert labels.shape == (256, 256) and set(np.unique(labels)) <= {0, 1, 2}

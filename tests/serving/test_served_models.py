"""The logged MLflow models segment a new phantom image in a fresh Python process, and from
`mlflow models predict`, as the same nnU-Net (and translation) does when called directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest

from axondeepsynth.evaluation.overlap import overlap_metrics
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.prediction import UnknownPixelSizeError, load_predictor, segment_image
from axondeepsynth.serving.adaptation_model import TranslationConfig
from axondeepsynth.serving.model_logging import log_adaptation_model, log_segmenter_model
from axondeepsynth.serving.nnunet_segmenter_model import SegmenterConfig
from axondeepsynth.serving.payload import PayloadError, decode_image, decode_png, input_frame
from axondeepsynth.translation.image_tiles import tile_image
from axondeepsynth.translation.model_translation import load_model_translation
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine

SEGMENTER = SegmenterConfig(folds=("all",), use_mirroring=False, device="cpu")
TRANSLATION = TranslationConfig(syndiff_experiment="serve_exp", syndiff_epoch="latest", source_contrast="tem",
                                tile_size=64, overlap=16, working_pixel_size_um=0.1, batch_size=8, seed=7,
                                translation_device="cpu")

def _predict_in_fresh_process(uri: str, images: list[Path], pixel_size_um: float, tmp_path: Path) -> list[np.ndarray]:
    """Segment ``images`` in a new interpreter (nothing of this process: no imports, no nnU-Net
    environment) through the command line that writes AxonDeepSeg-format results, and read those."""
    output = tmp_path / "served"
    subprocess.run([sys.executable, "-m", "axondeepsynth.serving.segment_images", uri, str(output),
                    *map(str, images), "--pixel-size-um", str(pixel_size_um)], check=True, timeout=300)
    assert all((output / f"{image.stem}_axon_morphometrics.xlsx").is_file() for image in images)
    return [read_label_map(output / f"{image.stem}_seg-axonmyelin.png") for image in images]


def _foreground_dice(reference: np.ndarray, prediction: np.ndarray) -> float:
    metrics = overlap_metrics(reference, prediction)
    return float(np.nanmean([metrics["dice_myelin"], metrics["dice_axon"]]))


@pytest.fixture(scope="module")
def sem_test_cases(phantom_sem_dataset: Path) -> list[tuple[Path, Path]]:
    images = sorted((phantom_sem_dataset / "imagesTs").glob("*.png"))
    return [(image, phantom_sem_dataset / "labelsTs" / image.name.replace("_0000", "")) for image in images]


def test_segmenter_model_in_a_fresh_process_matches_nnunet_directly(trained_nnunet_dir, sem_test_cases, tmp_path):
    with mlflow.start_run(run_name="serving-test") as run:
        info = log_segmenter_model("segmenter", trained_nnunet_dir, SEGMENTER, {"modality": "sem"})
    assert info.run_id == run.info.run_id
    images = [image for image, _ in sem_test_cases]
    served = _predict_in_fresh_process(info.model_uri, images, 0.1, tmp_path)

    activate_nnunet_environment(trained_nnunet_dir.parents[2])
    predictor = load_predictor(trained_nnunet_dir, ["all"], SEGMENTER.prediction_settings())
    for (image, label), labels in zip(sem_test_cases, served):
        reference = read_label_map(label)
        direct = segment_image(predictor, read_grayscale(image))
        assert labels.shape == reference.shape and labels.dtype == np.uint8
        served_dice, direct_dice = _foreground_dice(reference, labels), _foreground_dice(reference, direct)
        print(f"{image.name}: foreground Dice served {served_dice:.4f}, nnU-Net directly {direct_dice:.4f}")
        assert abs(served_dice - direct_dice) < 0.01

    model = mlflow.pyfunc.load_model(info.model_uri)
    assert model.metadata.metadata["trained_pixel_size_um"] == 0.1
    with pytest.raises(UnknownPixelSizeError, match="pixel_size_um"):
        model.predict(input_frame(images[:1], [None]))


def test_adaptation_model_translates_then_segments_like_the_direct_path(trained_nnunet_dir, small_syndiff,
                                                                        phantom_root, tmp_path):
    with mlflow.start_run(run_name="serving-test-adaptation"):
        info = log_adaptation_model("adaptation", trained_nnunet_dir, SEGMENTER, small_syndiff, TRANSLATION)
    model_config = mlflow.pyfunc.load_model(info.model_uri).model_config
    assert model_config["syndiff_epoch"] == 3 and model_config["source_contrast"] == "tem"
    record = discover_images(phantom_root / "tem_bids", modality="tem")[0]
    [served] = _predict_in_fresh_process(info.model_uri, [record.path], record.pixel_size_um, tmp_path)

    image = read_grayscale(record.path)
    translation = load_model_translation(small_syndiff, "serve_exp", 3, "tem", ["cpu"])
    engine = TiledTranslationEngine(translation.translate_fn, TRANSLATION.batch_size, TRANSLATION.seed)
    factor = record.pixel_size_um / TRANSLATION.working_pixel_size_um
    [translated] = engine.translate([tile_image(image, 64, 16, factor)])
    activate_nnunet_environment(trained_nnunet_dir.parents[2])
    predictor = load_predictor(trained_nnunet_dir, ["all"], SEGMENTER.prediction_settings())
    direct = segment_image(predictor, translated, record.pixel_size_um / 0.1)  # to the nnU-Net's 0.1 um/px
    reference = read_label_map(record.label_path)
    assert served.shape == image.shape
    served_dice, direct_dice = _foreground_dice(reference, served), _foreground_dice(reference, direct)
    print(f"{record.path.name}: foreground Dice served {served_dice:.4f}, translated + nnU-Net directly "
          f"{direct_dice:.4f}")
    # nnU-Net's CPU predictor resets torch's thread count when loaded (before translation in the
    # served model, after it here), so float sums differ in the last bits and noise-like
    # translations of an untrained SynDiff flip a few pixels.
    assert abs(served_dice - direct_dice) < 0.02


def test_mlflow_models_predict_from_the_command_line(trained_nnunet_dir, sem_test_cases, tmp_path):
    with mlflow.start_run(run_name="serving-test-cli"):
        info = log_segmenter_model("segmenter", trained_nnunet_dir, SEGMENTER)
    image, label = sem_test_cases[0]
    frame = input_frame([image], [0.1])
    request = tmp_path / "input.json"
    request.write_text(json.dumps({"dataframe_split": frame.to_dict(orient="split", index=False)}))
    output = tmp_path / "predictions.json"
    mlflow_cli = Path(sys.executable).parent / "mlflow"
    subprocess.run([str(mlflow_cli), "models", "predict", "-m", info.model_uri, "-i", str(request), "-t", "json",
                    "-o", str(output), "--env-manager", "local"], check=True, timeout=300)
    [prediction] = json.loads(output.read_text())["predictions"]
    labels = decode_png(prediction["labels_png"])
    assert labels.shape == read_label_map(label).shape
    table = pd.DataFrame(json.loads(prediction["morphometrics"]))
    assert len(table) == prediction["num_axons"]
    if len(table):
        assert {"gratio", "axon_diam (um)", "myelin_thickness (um)", "x0 (px)"} <= set(table.columns)


def test_a_cell_that_is_no_image_is_refused_with_its_row():
    with pytest.raises(PayloadError, match="row 3"):
        decode_image("definitely/not/a/file.png", 3)

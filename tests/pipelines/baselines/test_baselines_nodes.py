"""The baseline nodes on phantoms: histogram matching as an adaptation output, the augmentation trainer."""

from __future__ import annotations

from pathlib import Path

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.datasets.translated_images_dataset import TranslatedImagesDataset
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.parameters.baselines import BaselinesParams
from axondeepsynth.parameters.segmentation import TrainingParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.pipelines.baselines.nodes import augmentation_training, match_target_histograms
from axondeepsynth.translation.histogram_matching import grey_level_counts, histogram_distance, intensity_reference

TRANSLATION = TranslationParams(which_epoch="latest", tile_size=None, overlap=None, scale_factor=1.0, batch_size=8,
                                device="cpu", devices=(), cpu_threads=1, precision="fp32", channels_last=False, seed=42,
                                overwrite=False, figure_images=1)


def test_target_images_matched_to_the_source_histogram(phantom_root: Path, tmp_path: Path) -> None:
    nnunet = phantom_root / "nnunet"
    source = NnUNetRawHandle(nnunet / "Dataset501_PHANTOM_SEM", 501, {"axondeepsynth": {"modality": "SEM"}})
    target = NnUNetRawHandle(nnunet / "Dataset502_PHANTOM_TEM", 502, {"axondeepsynth": {"modality": "TEM"}})
    dataset = TranslatedImagesDataset(str(tmp_path / "histogram_matching" / "translated"))
    dataset.save(match_target_histograms(source, target, TRANSLATION))
    manifest = dataset.load()
    assert (manifest.source_contrast, manifest.target_contrast, manifest.mode) == ("TEM", "SEM", "adaptation")
    assert manifest.stats["images"] == len(list((nnunet / "Dataset502_PHANTOM_TEM" / "imagesTs").glob("*.png")))
    assert manifest.stats["translate_seconds"] > 0
    reference = intensity_reference(read_grayscale(p) for p in (source.path / "imagesTr").glob("*.png"))
    for output, original in manifest.outputs.items():
        before = histogram_distance(grey_level_counts(read_grayscale(original)), reference)
        after = histogram_distance(grey_level_counts(read_grayscale(output)), reference)
        assert after < 0.5 * before, (original, before, after)


def test_augmentation_arm_trains_like_segmentation_with_its_own_trainer() -> None:
    training = TrainingParams.model_validate({
        "trainer": "nnUNetTrainerAxonDemo", "folds": [0], "num_epochs": 5, "iterations_per_epoch": 20,
        "val_iterations_per_epoch": 2, "save_every": None, "augmentation_processes": 0, "device": "auto",
        "continue_training": True, "validate": True})
    changed = augmentation_training(training, BaselinesParams(augmentation_trainer="nnUNetTrainerAxonDemoDA5"))
    assert changed.trainer == "nnUNetTrainerAxonDemoDA5"
    assert changed.model_dump(exclude={"trainer"}) == training.model_dump(exclude={"trainer"})

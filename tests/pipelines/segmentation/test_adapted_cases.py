"""The adaptation arm's cases: translations carry their image's pixel size and the modality they
were translated into, so the source model gets them at the pixel size it was trained at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import NnUNetPaths, dataset_folder_name
from axondeepsynth.nnunet.prediction import prediction_scale_factor
from axondeepsynth.nnunet.raw_dataset import RawCase, write_raw_dataset
from axondeepsynth.nnunet.subject_split import split_test_groups
from axondeepsynth.parameters.segmentation import SegmentationParams
from axondeepsynth.pipelines.segmentation.nodes import list_adapted_cases
from axondeepsynth.translation.translation_manifest import TranslationManifest


def test_translations_are_taken_at_their_recorded_size_in_the_modality_they_were_translated_into(
        phantom_root: Path, tmp_path: Path, shipped_parameters) -> None:
    records = discover_images(phantom_root / "tem_bids", modality="tem")
    test = split_test_groups([r.group for r in records], 0.5, seed=0)
    cases = [RawCase(case_id=r.sample, image_path=r.path, label_path=r.label_path, test=r.group in test,
                     subject=r.group, pixel_size_um=r.pixel_size_um, scale_factor=1.0) for r in records]
    base = tmp_path / "nnunet"
    write_raw_dataset(NnUNetPaths(base).raw / dataset_folder_name(512, "TARGET"), 512, cases, "tem")
    target = NnUNetRawDataset(str(base), 512, "TARGET").load()
    translated = tmp_path / "translated"  # stand-ins for the translations: same names and sizes
    shutil.copytree(target.path / "imagesTs", translated)
    manifest = TranslationManifest("adaptation", translated, "tem", "sem",
                                   {str(path): str(target.path / "imagesTs" / path.name)
                                    for path in sorted(translated.iterdir())})
    prediction = SegmentationParams.model_validate(shipped_parameters()["segmentation"]).prediction

    adapted = list_adapted_cases(manifest, target, prediction)

    tem_pixel_size = records[0].pixel_size_um
    assert adapted and all(case["label"] for case in adapted.values())
    assert {case["modality"] for case in adapted.values()} == {"sem"}
    assert [case["pixel_size_um"] for case in adapted.values()] == pytest.approx([tem_pixel_size] * len(adapted))
    # a SEM model trained at twice that pixel size halves them (before: taken as TEM, as given)
    case = next(iter(adapted.values()))
    factor = prediction_scale_factor(case["image"], case["pixel_size_um"], 2 * tem_pixel_size,
                                     "segmentation.prediction.pixel_size_um", case["modality"], "sem")
    assert factor == pytest.approx(0.5)

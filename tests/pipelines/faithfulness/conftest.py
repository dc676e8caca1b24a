"""A tutorship dataset whose 'translations' are the phantoms' paired renderings, and parameters.

The phantom tree renders every SEM sample's tissue in TEM too (``paired/sem/*_TEM.png``): writing
those renderings as the translations of the SEM images gives a tutorship dataset exactly as the
translation pipeline writes it (``write_tutorship_dataset``), with a perfect translator.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget, write_tutorship_dataset
from axondeepsynth.translation.translated_case import SourceImage, TranslatedCase
from axondeepsynth.translation.translation_manifest import TranslationManifest

FAITHFULNESS_PARAMS = {
    "translated_dir": None,
    "source_dataset": None,
    "exclude_dirs": ["derivatives", ".git"],
    "pixel_size_um": None,
    "thresholds": {"dice_myelin": 0.9, "dice_axon": 0.9, "axon_precision": 0.95, "axon_recall": 0.95},
    "paired_dir": None,
    "figure_images": 3,
    "mlflow_prefix": "faithfulness",
}
ORACLE_PARAMS = {
    "nnunet": {"base_dir": None, "dataset_id": 502, "num_processes": 1},
    "planning": {"configuration": "2d", "plans_identifier": None},
    "training": {"trainer": "nnUNetTrainerAxonDemo", "folds": ["all"]},
    "prediction": {"folds": None, "use_best_checkpoint": False, "use_mirroring": False, "tile_step_size": 0.5,
                   "device": "cpu"},
    "evaluation": {"min_iou": 0.5, "min_axon_area_px": 4},
}


@pytest.fixture(scope="session")
def tutorship_manifest(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> TranslationManifest:
    """SEM phantoms 'translated' into TEM by their paired renderings, as tutorship dataset 201."""
    records = [r for r in discover_images(phantom_root / "sem_bids") if r.label_path is not None]
    cases = (TranslatedCase(SourceImage(r.path, r.label_path, r.sample),
                            read_grayscale(phantom_root / "paired" / "sem" / f"{r.path.stem[:-4]}_TEM.png"))
             for r in records)
    target = NnUNetRawTarget(tmp_path_factory.mktemp("tutorship") / "nnunet", 201, "sem", "tem")
    mapping = write_tutorship_dataset(target, cases, len(records))
    return TranslationManifest(
        mode="tutorship", output_dir=target.dataset_dir, source_contrast="sem", target_contrast="tem",
        outputs={str(target.dataset_dir / entry["image"]): entry["source_image"] for entry in mapping.values()},
        dataset_id=201,
    )


@pytest.fixture
def faithfulness_params(phantom_root: Path) -> dict:
    """``faithfulness`` parameters with the phantoms' paired renderings for PSNR/SSIM."""
    params = copy.deepcopy(FAITHFULNESS_PARAMS)
    params["paired_dir"] = str(phantom_root / "paired")
    return params


@pytest.fixture
def oracle_params(tmp_path: Path) -> dict:
    """``faithfulness.oracle`` parameters pointing at an empty nnU-Net folder (see test_pipeline for a trained one)."""
    params = copy.deepcopy(ORACLE_PARAMS)
    params["nnunet"]["base_dir"] = str(tmp_path / "nnunet")
    return params

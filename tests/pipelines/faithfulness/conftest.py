"""A tutorship dataset whose 'translations' are the phantoms' paired renderings.

The phantom tree renders every SEM sample's tissue in TEM too (``paired/sem/*_TEM.png``): writing
those renderings as the translations of the SEM images gives a tutorship dataset exactly as the
translation pipeline writes it (``write_tutorship_dataset``), with a perfect translator.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget, write_tutorship_dataset
from axondeepsynth.translation.translated_case import SourceImage, TranslatedCase
from axondeepsynth.translation.translation_manifest import TranslationManifest


def _paired_tutorship(phantom_root: Path, nnunet_dir: Path, pixel_size_um: float | None) -> TranslationManifest:
    """Tutorship dataset 201 under ``nnunet_dir``: the SEM phantoms 'translated' into TEM by their paired
    renderings (at the SEM images' size), recording ``pixel_size_um`` as the translations' size."""
    records = [r for r in discover_images(phantom_root / "sem_bids") if r.label_path is not None]
    cases = (TranslatedCase(SourceImage(r.path, r.label_path, r.sample),
                            read_grayscale(phantom_root / "paired" / "sem" / f"{r.path.stem[:-4]}_TEM.png"))
             for r in records)
    target = NnUNetRawTarget(nnunet_dir, 201, "sem", "tem")
    mapping = write_tutorship_dataset(target, cases, len(records), pixel_size_um=pixel_size_um)
    return TranslationManifest(
        mode="tutorship", output_dir=target.dataset_dir, source_contrast="sem", target_contrast="tem",
        outputs={str(target.dataset_dir / entry["image"]): entry["source_image"] for entry in mapping.values()},
        dataset_id=201,
    )


@pytest.fixture(scope="session")
def tutorship_manifest(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> TranslationManifest:
    """SEM phantoms 'translated' into TEM by their paired renderings, pixel size not recorded."""
    return _paired_tutorship(phantom_root, tmp_path_factory.mktemp("tutorship") / "nnunet", None)


@pytest.fixture(scope="session")
def sized_tutorship_manifest(phantom_root: Path, phantom_config,
                             tmp_path_factory: pytest.TempPathFactory) -> TranslationManifest:
    """The same translations recorded at their pixel size (the SEM phantoms', 0.1 um/px), as the
    translation pipeline records a tutorship dataset at the target's working pixel size."""
    return _paired_tutorship(phantom_root, tmp_path_factory.mktemp("sized_tutorship") / "nnunet",
                             phantom_config.pixel_size_um["sem"])

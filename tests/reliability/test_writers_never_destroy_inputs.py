"""The translation writers refuse, whatever ``overwrite`` says, an output that would replace its own
sources: the two destructive runs of issue 15, at the level of the writers every pipeline uses.

Each case asserts the message (both locations named) and that every source file is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_helpers import checksums, copy_as_project_output

from axondeepsynth.errors import OutputOverlapsInputError, UnownedOutputError
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.raw_dataset import RawCase, write_raw_dataset
from axondeepsynth.translation.folder_source import FolderSource
from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget, write_tutorship_dataset
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
from axondeepsynth.translation.translation_source import translated_cases


def _cases(folder: Path, modality: str):
    source = FolderSource.uniform(discover_images(folder, modality=modality), 64, 16, 1.0)
    engine = TiledTranslationEngine(lambda tiles, seeds: tiles, batch_size=8, run_seed=0)
    return translated_cases(source, engine), len(source.images)


def test_tutorship_with_the_source_dataset_id_refuses_and_keeps_the_source(owned_sem_dataset: Path) -> None:
    before = checksums(owned_sem_dataset)
    raw_dir = owned_sem_dataset.parent
    cases, total = _cases(owned_sem_dataset, "sem")
    target = NnUNetRawTarget(raw_dir.parent, 501, "sem", "tem")
    with pytest.raises(OutputOverlapsInputError, match=r"nnU-Net dataset with id 501.*Dataset501_PHANTOM_SEM"
                                                       r".*would overwrite the input source"):
        write_tutorship_dataset(target, cases, total, overwrite=True)
    assert checksums(owned_sem_dataset) == before
    assert [p.name for p in raw_dir.iterdir()] == ["Dataset501_PHANTOM_SEM"]


def test_adaptation_into_its_own_source_refuses_and_keeps_the_source(phantom_root: Path, tmp_path: Path) -> None:
    source = copy_as_project_output(phantom_root / "tem_bids", tmp_path / "tem_bids")
    before = checksums(source)
    cases, _ = _cases(source, "tem")
    with pytest.raises(OutputOverlapsInputError, match=r"adaptation output folder '.*tem_bids' would overwrite "
                                                       r"the input source image '.*tem_bids/sub-"):
        write_image_folder(source, cases, overwrite=True)
    assert checksums(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tem_bids"]


def test_adaptation_over_a_user_folder_refuses_before_translating(phantom_root: Path, tmp_path: Path) -> None:
    user_folder = phantom_root / "tem_bids"
    before = checksums(user_folder)
    with pytest.raises(UnownedOutputError, match="tem_bids' exists and was not written by axondeepsynth"):
        write_image_folder(user_folder, iter(()), overwrite=True)
    assert checksums(user_folder) == before


def test_nnunet_export_over_its_own_source_id_refuses(owned_sem_dataset: Path) -> None:
    before = checksums(owned_sem_dataset)
    cases = [RawCase(case_id=r.sample, image_path=r.path, label_path=r.label_path, test=False, subject=r.group)
             for r in discover_images(owned_sem_dataset, modality="sem") if r.label_path is not None]
    with pytest.raises(OutputOverlapsInputError, match=r"id 501 \(replaced by overwrite\) '.*Dataset501_PHANTOM_SEM'"
                                                       r" would overwrite the input source image"):
        write_raw_dataset(owned_sem_dataset.parent / "Dataset501_EXPORT", 501, cases, "SEM", overwrite=True)
    assert checksums(owned_sem_dataset) == before
    assert [p.name for p in owned_sem_dataset.parent.iterdir()] == ["Dataset501_PHANTOM_SEM"]

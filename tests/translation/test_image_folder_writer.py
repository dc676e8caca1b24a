"""Adaptation outputs: one image per source, same stem, original size, refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from axondeepsynth.errors import UnownedOutputError
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.folder_source import FolderSource
from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.translation_source import translated_cases


def test_each_source_gets_one_output_of_the_same_name_and_size(sem_nnunet_source, tmp_path, identity_engine):
    source = FolderSource.uniform(discover_images(sem_nnunet_source, modality="sem"), 96, 24, 1.0)
    output_dir = tmp_path / "translated" / "run"
    mapping = write_image_folder(output_dir, translated_cases(source, identity_engine))
    names = sorted(p.name for p in output_dir.glob("*.png"))
    assert names == sorted(f"{image.path.stem}.png" for image in source.images)
    for name, entry in mapping.items():
        assert np.array_equal(read_grayscale(output_dir / name), read_grayscale(entry["source_image"]))
    assert json.loads((output_dir / "translated_to_original.json").read_text()) == mapping


def test_non_empty_output_folder_is_refused_unless_overwrite(sem_nnunet_source, tmp_path, identity_engine):
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    (output_dir / "keep.txt").write_text("user data")
    source = FolderSource.uniform(discover_images(sem_nnunet_source, modality="sem")[:1], 96, 24, 1.0)
    with pytest.raises(FileExistsError, match="overwrite"):
        write_image_folder(output_dir, translated_cases(source, identity_engine))
    assert (output_dir / "keep.txt").read_text() == "user data"
    with pytest.raises(UnownedOutputError, match="not written by axondeepsynth"):
        write_image_folder(output_dir, translated_cases(source, identity_engine), overwrite=True)
    assert (output_dir / "keep.txt").read_text() == "user data"
    ours = tmp_path / "ours"
    write_image_folder(ours, translated_cases(source, identity_engine))
    (ours / "stale.png").write_bytes(b"from an earlier run")
    write_image_folder(ours, translated_cases(source, identity_engine), overwrite=True)
    assert not (ours / "stale.png").exists()

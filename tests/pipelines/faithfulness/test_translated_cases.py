"""Finding the carried labels of translated images: tutorship datasets and adaptation folders."""

from __future__ import annotations

import json

import numpy as np
import pytest

from axondeepsynth.evaluation.faithfulness_cases import FaithfulnessInputError, read_faithfulness_cases
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.translated_case import SourceImage, TranslatedCase


def test_tutorship_cases_carry_the_source_labels(tutorship_manifest, phantom_root):
    cases = read_faithfulness_cases(tutorship_manifest.output_dir)
    assert [str(c.translation_path) for c in cases] == list(tutorship_manifest.outputs)
    records = {r.path: r for r in discover_images(phantom_root / "sem_bids")}
    for case in cases:
        assert case.label_path.parent.name == "labelsTr" and case.pixel_size_um is None
        source_labels = read_label_map(records[case.source_path].label_path)
        np.testing.assert_array_equal(read_label_map(case.label_path), source_labels)
        assert read_grayscale(case.translation_path).shape == read_grayscale(case.source_path).shape
    with_sizes = read_faithfulness_cases(tutorship_manifest.output_dir, list(records.values()))
    assert [c.pixel_size_um for c in with_sizes] == [pytest.approx(0.1)] * len(cases)


def test_adaptation_cases_take_labels_from_the_source_dataset(phantom_root, tmp_path):
    records = discover_images(phantom_root / "tem_bids")[:2]
    translated = (TranslatedCase(SourceImage(r.path, r.label_path, r.sample), read_grayscale(r.path)) for r in records)
    output = tmp_path / "adapted"
    write_image_folder(output, translated)
    with pytest.raises(FaithfulnessInputError, match="faithfulness.source_dataset"):
        read_faithfulness_cases(output)
    cases = read_faithfulness_cases(output, discover_images(phantom_root / "tem_bids"), "tem")
    assert [c.label_path for c in cases] == [r.label_path for r in records]
    assert [c.name for c in cases] == [f"{r.path.stem}.png" for r in records]
    assert all(c.pixel_size_um == pytest.approx(0.05) and c.modality == "tem" for c in cases)


def test_a_tutorship_dataset_gives_the_pixel_size_and_modality_it_records(sized_tutorship_manifest,
                                                                          tutorship_manifest):
    """The translations' own size, what the oracle resamples from (unknown when not recorded)."""
    sized = read_faithfulness_cases(sized_tutorship_manifest.output_dir)
    assert len(sized) == 6 and all(c.pixel_size_um == pytest.approx(0.1) and c.modality == "tem" for c in sized)
    unsized = read_faithfulness_cases(tutorship_manifest.output_dir)
    assert all(c.pixel_size_um is None and c.modality == "tem" for c in unsized)


def test_a_folder_without_mapping_or_with_missing_files_is_refused(tutorship_manifest, tmp_path):
    with pytest.raises(FaithfulnessInputError, match="translated_to_original.json' is missing"):
        read_faithfulness_cases(tmp_path)
    mapping = json.loads((tutorship_manifest.output_dir / "translated_to_original.json").read_text())
    first = next(iter(mapping.values()))
    first["label"] = "labelsTr/gone.png"
    (tmp_path / "translated_to_original.json").write_text(json.dumps(mapping))
    with pytest.raises(FaithfulnessInputError, match="does not exist"):
        read_faithfulness_cases(tmp_path)

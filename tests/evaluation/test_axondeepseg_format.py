"""AxonDeepSeg-format results on real SEM ground truth: file names, encodings, columns and values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from kedro.io import DatasetError
from PIL import Image

from axondeepsynth.datasets.axondeepseg_results_dataset import AxonDeepSegResultsDataset
from axondeepsynth.evaluation.axondeepseg_format import (
    axondeepseg_columns,
    axondeepseg_morphometrics,
    axondeepseg_result,
    read_axondeepseg_morphometrics,
)
from axondeepsynth.evaluation.morphometrics import axon_morphometrics
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.imaging.pixel_size_file import PixelSizeFileError, read_pixel_size_file, write_pixel_size_file
from axondeepsynth.imaging.sources import discover_images

ADS_COLUMNS = [
    "x0 (px)", "y0 (px)", "gratio", "axon_area (um^2)", "axon_perimeter (um)", "myelin_area (um^2)",
    "axon_diam (um)", "myelin_thickness (um)", "axonmyelin_area (um^2)", "axonmyelin_perimeter (um)",
    "solidity", "eccentricity", "orientation", "image_border_touching",
    "bbox_min_y", "bbox_min_x", "bbox_max_y", "bbox_max_x",
]
"""As AxonDeepSeg 5 documents its morphometrics file (docs 'Morphometrics file', params.py)."""


@pytest.fixture(scope="module")
def real_ground_truth(real_data_dir: Path) -> list[tuple[str, np.ndarray, float]]:
    """Three real SEM ground-truth label maps (0/1/2) with their BIDS pixel sizes (µm)."""
    records = discover_images(real_data_dir / "sem_bids", modality="sem")[:3]
    return [(r.sample, read_label_map(r.label_path), r.pixel_size_um) for r in records]


def test_written_files_are_named_encoded_and_headed_as_axondeepseg(real_ground_truth, tmp_path):
    dataset = AxonDeepSegResultsDataset(str(tmp_path / "ads"))
    dataset.save({name: axondeepseg_result(labels, size, min_axon_area_px=4)
                  for name, labels, size in real_ground_truth})

    for name, labels, size in real_ground_truth:
        combined = np.asarray(Image.open(tmp_path / "ads" / f"{name}_seg-axonmyelin.png"))
        assert set(np.unique(combined)) == {0, 127, 255}
        assert np.array_equal(combined == 255, labels == 2) and np.array_equal(combined == 127, labels == 1)
        for suffix, cls in (("axon", 2), ("myelin", 1)):
            mask = np.asarray(Image.open(tmp_path / "ads" / f"{name}_seg-{suffix}.png"))
            assert set(np.unique(mask)) == {0, 255} and np.array_equal(mask == 255, labels == cls)

        expected = axon_morphometrics(labels, size, min_axon_area_px=4)
        for extension in (".xlsx", ".csv"):
            table = read_axondeepseg_morphometrics(tmp_path / "ads" / f"{name}_axon_morphometrics{extension}")
            assert list(table.columns) == ADS_COLUMNS
            assert len(table) == len(expected) > 20
            for ads, ours in (("x0 (px)", "centroid_col"), ("y0 (px)", "centroid_row"), ("gratio", "g_ratio"),
                              ("axon_diam (um)", "axon_diameter"), ("myelin_thickness (um)", "myelin_thickness"),
                              ("axon_area (um^2)", "axon_area"), ("axonmyelin_area (um^2)", "fibre_area")):
                np.testing.assert_allclose(table[ads], expected[ours], rtol=1e-9, err_msg=ads)
            np.testing.assert_allclose(table["myelin_area (um^2)"], expected["fibre_area"] - expected["axon_area"],
                                       rtol=1e-9)
            assert table["image_border_touching"].astype(bool).tolist() == expected["touches_border"].tolist()
    loaded = dataset.load()
    assert sorted(loaded) == sorted(name for name, _, _ in real_ground_truth)


def test_shape_columns_describe_the_axons(real_ground_truth):
    name, labels, size = real_ground_truth[0]
    table = axondeepseg_morphometrics(labels, size, min_axon_area_px=4)
    assert table["solidity"].between(0, 1).all() and table["eccentricity"].between(0, 1).all()
    assert table["orientation"].between(-np.pi / 2, np.pi / 2).all()
    # a disk has the shortest perimeter for its area (pi * equivalent diameter); real axons are near-round
    roundness = table["axon_perimeter (um)"] / (np.pi * table["axon_diam (um)"])
    assert 0.95 < roundness.median() < 1.5
    assert (table["axonmyelin_perimeter (um)"] > table["axon_perimeter (um)"]).mean() > 0.9
    touching = ((table["bbox_min_y"] == 0) | (table["bbox_min_x"] == 0)
                | (table["bbox_max_y"] == labels.shape[0]) | (table["bbox_max_x"] == labels.shape[1]))
    assert touching.tolist() == table["image_border_touching"].tolist()


def test_unknown_pixel_size_says_pixels_in_the_headers(real_ground_truth):
    name, labels, size = real_ground_truth[0]
    in_px = axondeepseg_morphometrics(labels, None, min_axon_area_px=4)
    in_um = axondeepseg_morphometrics(labels, size, min_axon_area_px=4)
    assert list(in_px.columns) == axondeepseg_columns(pixel_size_known=False)
    assert "axon_diam (px)" in in_px.columns and "axon_area (px^2)" in in_px.columns
    np.testing.assert_allclose(in_px["axon_diam (px)"] * size, in_um["axon_diam (um)"])
    np.testing.assert_allclose(in_px["gratio"], in_um["gratio"])


def test_an_image_without_axons_gives_an_empty_table_with_the_columns():
    table = axondeepseg_morphometrics(np.zeros((32, 32), np.uint8), 0.1)
    assert table.empty and list(table.columns) == ADS_COLUMNS


def test_pixel_size_file_round_trip_and_bad_content(tmp_path):
    assert read_pixel_size_file(tmp_path) is None
    write_pixel_size_file(tmp_path, 0.13)
    assert read_pixel_size_file(tmp_path) == 0.13
    (tmp_path / "pixel_size_in_micrometer.txt").write_text("0.1 um\n")
    with pytest.raises(PixelSizeFileError, match="pixel_size_in_micrometer.txt"):
        read_pixel_size_file(tmp_path)


def test_a_folder_of_one_pixel_size_gets_the_pixel_size_file(real_ground_truth, tmp_path):
    name, labels, _ = real_ground_truth[0]
    AxonDeepSegResultsDataset(str(tmp_path / "one")).save({name: axondeepseg_result(labels, 0.1)})
    assert read_pixel_size_file(tmp_path / "one") == 0.1
    AxonDeepSegResultsDataset(str(tmp_path / "none")).save({name: axondeepseg_result(labels, None)})
    assert read_pixel_size_file(tmp_path / "none") is None
    with pytest.raises(DatasetError, match="already exists"):  # Kedro wraps the FileExistsError
        AxonDeepSegResultsDataset(str(tmp_path / "one")).save({name: axondeepseg_result(labels, 0.1)})

"""Export a labelled BIDS folder as an nnU-Net raw dataset with the library alone (no pipeline node)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import NnUNetPaths, dataset_folder_name
from axondeepsynth.nnunet.raw_dataset import RawCase, write_raw_dataset
from axondeepsynth.nnunet.subject_split import split_test_groups


def _export_raw(source_dir: Path, base: Path, dataset_id: int, name: str, test_fraction: float,
                pixel_size_um: float | None = None, overwrite: bool = False) -> tuple[Path, set[str]]:
    """Write ``Dataset<id>_<name>`` from ``source_dir`` (subjects held out whole; ``pixel_size_um``
    rescales every image to it) and return its folder and test subjects."""
    records = discover_images(source_dir, modality="SEM")
    test = split_test_groups([r.group for r in records], test_fraction, seed=0)
    cases = [RawCase(case_id=r.sample, image_path=r.path, label_path=r.label_path, test=r.group in test,
                     subject=r.group, pixel_size_um=r.pixel_size_um,
                     scale_factor=1.0 if pixel_size_um is None else r.pixel_size_um / pixel_size_um)
             for r in records]
    dataset_dir = NnUNetPaths(base).raw / dataset_folder_name(dataset_id, name)
    write_raw_dataset(dataset_dir, dataset_id, cases, "SEM", overwrite=overwrite)
    return dataset_dir, test


@pytest.fixture(scope="session")
def export_raw() -> Callable[..., tuple[Path, set[str]]]:
    """The exporter above, for tests that need an nnU-Net raw dataset of real or phantom images."""
    return _export_raw

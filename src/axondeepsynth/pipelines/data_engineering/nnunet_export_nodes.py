"""Nodes: the labelled source and target images -> nnU-Net v2 raw datasets (export plans).

The source's dataset trains the no-adaptation nnU-Net; the target's holds the test split every arm
is scored on (and trains the oracle). Subjects are kept whole on one side of each split.
"""

from __future__ import annotations

from collections.abc import Sequence

from axondeepsynth.artifacts.nnunet_raw import RawDatasetExport
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.nnunet.raw_dataset import RawCase
from axondeepsynth.nnunet.subject_split import split_test_groups
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.pipelines.data_engineering.nodes import DiscoveredSources


def _export(images: Sequence[ScaledImageSource], modality: str, test_fraction: float, seed: int,
            pixel_size_um: float | None, overwrite: bool, parameter: str) -> RawDatasetExport:
    """Cases of ``images``: whole subjects held out as test cases; unlabelled images go to the test
    set (to segment) whatever their subject. ``pixel_size_um`` rescales every image to it (None
    keeps sizes)."""
    records = [item.record for item in images]
    test_groups = split_test_groups([r.group for r in records if r.label_path is not None], test_fraction, seed)
    cases = [
        RawCase(
            case_id=record.sample,
            image_path=record.path,
            label_path=record.label_path,
            test=record.label_path is None or record.group in test_groups,
            subject=record.group,
            pixel_size_um=record.pixel_size_um,
            scale_factor=1.0 if pixel_size_um is None else resolve_scale_factor(
                "auto", record.pixel_size_um, pixel_size_um, f"{parameter} ({record.path})"),
        )
        for record in records
    ]
    return RawDatasetExport(cases, modality, overwrite)


def export_source_dataset(sources: DiscoveredSources, export: NnUNetExportParams) -> RawDatasetExport:
    """The labelled source images as an nnU-Net raw dataset (catalog ``source_nnunet_raw``)."""
    modality = next(iter(sources.images))
    return _export(sources.images[modality], modality, export.test_fraction, export.seed,
                   export.target_pixel_size_um, export.overwrite, "nnunet_export.target_pixel_size_um")


def export_target_dataset(sources: DiscoveredSources, inputs: InputsParams,
                          export: NnUNetExportParams) -> RawDatasetExport:
    """The target images as an nnU-Net raw dataset (catalog ``target_nnunet_raw``) at the working
    pixel size, ``inputs.target.test_fraction`` of its subjects held out for scoring every arm."""
    target = inputs.target
    return _export(sources.images[target.modality], target.modality, target.test_fraction, target.test_seed,
                   inputs.working_pixel_size_um, export.overwrite, "inputs.working_pixel_size_um")

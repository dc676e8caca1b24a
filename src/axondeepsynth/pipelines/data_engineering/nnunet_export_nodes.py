"""Nodes: the labelled source and target images -> nnU-Net v2 raw datasets (export plans).

The source's dataset trains the no-adaptation nnU-Net; the target's holds the test split every arm
is scored on (and trains the oracle). Subjects are kept whole on one side of each split.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from operator import attrgetter

from axondeepsynth.artifacts.nnunet_raw import RawDatasetExport
from axondeepsynth.imaging.rescaling import ScaleFactor, resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.nnunet.raw_dataset import RawCase
from axondeepsynth.nnunet.subject_split import split_test_groups
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.pipelines.data_engineering.nodes import DiscoveredSources


def _export(images: Sequence[ScaledImageSource], modality: str, test_groups: Collection[str],
            scale_factor: Callable[[ScaledImageSource], ScaleFactor], overwrite: bool) -> RawDatasetExport:
    """Cases of ``images``: the images of ``test_groups`` (whole subjects) held out as test cases;
    unlabelled images go to the test set (to segment) whatever their subject. ``scale_factor``
    gives each image's size multiplier."""
    cases = [
        RawCase(
            case_id=item.record.sample,
            image_path=item.record.path,
            label_path=item.record.label_path,
            test=item.record.label_path is None or item.record.group in test_groups,
            subject=item.record.group,
            pixel_size_um=item.record.pixel_sizes_yx_um,
            scale_factor=scale_factor(item),
            read_options=item.options,
        )
        for item in images
    ]
    return RawDatasetExport(cases, modality, overwrite)


def export_source_dataset(sources: DiscoveredSources, export: NnUNetExportParams) -> RawDatasetExport:
    """The labelled source images as an nnU-Net raw dataset (catalog ``source_nnunet_raw``),
    ``nnunet_export.test_fraction`` of its subjects held out, rescaled to
    ``nnunet_export.target_pixel_size_um`` (null keeps sizes)."""
    modality = next(iter(sources.images))
    images = sources.images[modality]
    test_groups = split_test_groups([i.record.group for i in images if i.record.label_path is not None],
                                    export.test_fraction, export.seed)
    size = export.target_pixel_size_um

    def scale_factor(item: ScaledImageSource) -> ScaleFactor:
        return 1.0 if size is None else resolve_scale_factor(
            "auto", item.record.pixel_sizes_yx_um, size, f"nnunet_export.target_pixel_size_um ({item.record.path})")

    return _export(images, modality, test_groups, scale_factor, export.overwrite)


def export_target_dataset(sources: DiscoveredSources, inputs: InputsParams,
                          export: NnUNetExportParams) -> RawDatasetExport:
    """The target images as an nnU-Net raw dataset (catalog ``target_nnunet_raw``) at the target's
    working pixel size (each image scaled as SynDiff sees it, ``inputs.target.scale``), the target
    test subjects drawn in :func:`discover_sources` held out for scoring every arm; the oracle
    trains on the rest (``imagesTr``) only."""
    modality = inputs.target.modality
    return _export(sources.images[modality], modality, sources.target_test_subjects, attrgetter("scale_factor"),
                   export.overwrite)

"""Nodes of the data_engineering pipeline: phantoms, source discovery, splits and tile plans.

Nodes are pure: they list folders, read sidecars and check every image once (so bad input fails
before anything is written), and return lazy plans (:class:`SynDiffSplit`, :class:`TilePlan`)
whose pixels the HDF5 datasets read, scale and write one image at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from axondeepsynth.artifacts.phantoms import PhantomsNotGenerated
from axondeepsynth.artifacts.syndiff_split import SynDiffSplit
from axondeepsynth.artifacts.target_regions import TargetRegionsTree
from axondeepsynth.artifacts.tile_set import TilePlan
from axondeepsynth.imaging.image_checks import check_records
from axondeepsynth.imaging.image_io import DEFAULT_READ_OPTIONS, ReadOptions
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.nnunet.subject_split import split_test_groups
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.inputs import InputsParams, ModalityInput, TargetInput
from axondeepsynth.parameters.phantoms import PhantomParams
from axondeepsynth.phantoms import PhantomCollection, generate_phantoms
from axondeepsynth.pipelines.data_engineering.paired_sources import discover_pairs
from axondeepsynth.pipelines.data_engineering.splitting import SPLITS, split_by_group

logger = logging.getLogger(__name__)


@dataclass
class DiscoveredSources:
    """Every checked input of the pipeline, ready to split, tile and export.

    Attributes:
        images: both modalities' images (source first), each with its resolved scale factor.
        paired: aligned renderings (index i of each modality is the same tissue) when
            ``inputs.paired`` is set, else ``None``.
        roots: every input folder: no output may go inside one.
        target_test_subjects: the target subjects (groups) every arm is scored on, drawn once here
            (``inputs.target.test_fraction``/``test_seed``) for the SynDiff split and the target export.
        transductive: ``inputs.target.transductive``: SynDiff may see those test subjects too.
    """

    images: dict[str, list[ScaledImageSource]]
    paired: dict[str, list[ScaledImageSource]] | None
    roots: tuple[Path, ...]
    target_test_subjects: frozenset[str]
    transductive: bool


def make_phantoms(params: PhantomParams, generate: bool) -> PhantomCollection | PhantomsNotGenerated:
    """The phantom samples, rendered lazily while the ``phantoms`` dataset writes them (it keeps an
    existing tree made from the same config); with ``generate`` false (user data) a record saying so."""
    if not generate:
        return PhantomsNotGenerated("inputs.generate_phantoms is false")
    return generate_phantoms(params.to_config())


def _scaled_sources(spec: ModalityInput, inputs: InputsParams, parameter: str, options: ReadOptions,
                    folder: Path | None = None) -> list[ScaledImageSource]:
    """One source per image, scaled per axis (anisotropic pixels become square at ``auto``)."""
    records = discover_images(folder or spec.path, inputs.exclude_dirs, spec.modality)
    return [ScaledImageSource(r, resolve_scale_factor(spec.scale, r.pixel_sizes_yx_um, inputs.working_pixel_size_um,
                                                      f"{parameter}.scale ({r.path})"), options)
            for r in records]


def _target_folder(inputs: InputsParams, regions: TargetRegionsTree | None) -> Path:
    """``inputs.target.path``, or the tree of its regions when ``inputs.target.regions`` is set."""
    grid = inputs.target.regions
    if grid is None:
        return inputs.target.path
    if (not isinstance(regions, TargetRegionsTree) or regions.path is None
            or not regions.matches(inputs.target.path, grid.rows, grid.cols)):
        raise ParameterError(
            f"inputs.target.regions is set but catalog entry 'target_regions' holds no regions of "
            f"'{inputs.target.path}' cut {grid.rows} x {grid.cols}; run the data_engineering pipeline from its "
            "start (node cut_target_regions) so it cuts them.")
    return regions.path


def _held_out_subjects(items: list[ScaledImageSource], target: TargetInput) -> frozenset[str]:
    """The labelled target subjects held out for scoring (unlabelled images are never scored)."""
    labelled = [item.record.group for item in items if item.record.label_path is not None]
    subjects = frozenset(split_test_groups(labelled, target.test_fraction, target.test_seed))
    logger.info("Target test subjects (%s): %s.", "transductive: SynDiff may see them" if target.transductive
                else "held out of every training set", sorted(subjects))
    return subjects


def discover_sources(phantoms: Any, inputs: InputsParams, target_regions: TargetRegionsTree | None = None,
                     params: DataEngineeringParams | None = None) -> DiscoveredSources:
    """List both input folders, resolve scale factors, read each image once to check it, and draw
    the target test subjects.

    All checks happen here, before any output is written, so bad input fails the run with
    nothing on disk. The source's label maps are checked too (tutorship and its nnU-Net need them).

    Args:
        phantoms: the phantom manifest (or the record that none were generated): taken so that a
            fresh clone's phantoms exist before the input folders are listed.
        inputs: the user's data.
        target_regions: catalog ``target_regions``; its tree replaces ``inputs.target.path`` when
            ``inputs.target.regions`` is set.
        params: ``data_engineering``: how images are read (``intensity``, ``allow_large_images``);
            ``None`` reads them the default way. The mapping of every image wider than 8 bits is logged.

    Raises:
        ParameterError, SourceNotFoundError, ImageReadError, LabelMapAmongImagesError,
            LabelShapeMismatchError, ImageTooSmallError: bad input, named in the message.
    """
    del phantoms
    options = params.read_options() if params is not None else DEFAULT_READ_OPTIONS
    images = {
        inputs.source.modality: _scaled_sources(inputs.source, inputs, "inputs.source", options),
        inputs.target.modality: _scaled_sources(inputs.target, inputs, "inputs.target", options,
                                                _target_folder(inputs, target_regions)),
    }
    if len(images) != 2:
        raise ValueError(f"inputs.source.modality and inputs.target.modality are both '{inputs.source.modality}'; "
                         "give the two modalities distinct names.")
    parameters = {inputs.source.modality: "inputs.source", inputs.target.modality: "inputs.target"}
    for name, items in images.items():
        check_records([item.record for item in items], with_labels=name == inputs.source.modality,
                      scale_factors=[item.scale_factor for item in items], scale_parameter=f"{parameters[name]}.scale",
                      options=options)
        logger.info("Modality %s: %d image(s).", name, len(items))
    paired = discover_pairs(inputs.paired, images) if inputs.paired is not None else None
    if paired is not None:
        check_records([item.record for items in paired.values() for item in items], options=options)
    roots = [inputs.source.path, inputs.target.path, *([inputs.paired] if inputs.paired is not None else [])]
    held_out = _held_out_subjects(images[inputs.target.modality], inputs.target)
    return DiscoveredSources(images, paired, tuple(roots), held_out, inputs.target.transductive)


def _syndiff_images(sources: DiscoveredSources) -> dict[str, list[ScaledImageSource]]:
    """Each modality's images SynDiff may train on: all of them, but the target's test subjects
    unless the run is transductive."""
    target = list(sources.images)[1]
    images = dict(sources.images)
    if not sources.transductive:
        images[target] = [item for item in images[target] if item.record.group not in sources.target_test_subjects]
        if not images[target]:
            raise ParameterError(
                f"Every {target} image belongs to a target test subject {sorted(sources.target_test_subjects)}, so "
                "SynDiff has none to train on; lower inputs.target.test_fraction, cut the images into regions "
                "(inputs.target.regions), or set inputs.target.transductive: true.")
    return images


def _paired_images(sources: DiscoveredSources) -> dict[str, list[ScaledImageSource]]:
    """The paired renderings (pairs share a subject), without the target test subjects' unless
    the run is transductive."""
    if sources.paired is None or sources.transductive:
        return sources.paired or {}
    return {modality: [item for item in items if item.record.group not in sources.target_test_subjects]
            for modality, items in sources.paired.items()}


def split_syndiff_sources(
    sources: DiscoveredSources, params: DataEngineeringParams
) -> tuple[SynDiffSplit, SynDiffSplit, SynDiffSplit, SynDiffSplit, dict[str, dict[str, float]]]:
    """Split each modality by subject (see :mod:`.splitting`) into the train, val, test and
    paired SynDiff files' contents; the target's test subjects (``sources.target_test_subjects``)
    are left out of all three unless the run is transductive.

    Returns:
        (train, val, test, paired, image counts ``images.<split>.<modality>`` as MLflow metrics); ``paired``
        has no images without ``inputs.paired``, and its dataset then writes nothing.
    """
    ratios = params.split_ratios.as_dict()
    per_split: dict[str, dict[str, list[ScaledImageSource]]] = {s: {} for s in SPLITS}
    shared: dict[str, list[str]] = {s: [] for s in SPLITS}
    for modality, items in _syndiff_images(sources).items():
        result = split_by_group(items, attrgetter("record.group"), ratios, params.seed, modality)
        for split in SPLITS:
            per_split[split][modality] = result.items[split]
            if split in result.shared_with_train:
                shared[split].append(modality)
    counts = {f"images.{s}.{m}": {"value": float(len(v)), "step": 0} for s in SPLITS for m, v in per_split[s].items()}
    logger.info("SynDiff split (images per split and modality): %s", counts)
    splits = [
        SynDiffSplit(per_split[s], sources.roots, params.overwrite, {"split": s, "shared_with_train": shared[s]})
        for s in SPLITS
    ]
    paired = SynDiffSplit(_paired_images(sources), sources.roots, params.overwrite, {"split": "paired"})
    return splits[0], splits[1], splits[2], paired, counts


def plan_tiles_to_translate(sources: DiscoveredSources, params: DataEngineeringParams) -> TilePlan:
    """Plan the tiles of the (already checked) labelled source images; read lazily by the dataset."""
    modality = next(iter(sources.images))
    tiling = params.to_translate
    tiled = [TiledImageSource(item.record, item.scale_factor, tiling.tile_size, tiling.overlap, item.options)
             for item in sources.images[modality]]
    logger.info("To translate: %d %s image(s), %d px tiles, %d px overlap.", len(tiled), modality,
                tiling.tile_size, tiling.overlap)
    return TilePlan(name=tiling.name, modality=modality, tile_size=tiling.tile_size, overlap=tiling.overlap,
                    images=tiled, source_roots=sources.roots, overwrite=params.overwrite)

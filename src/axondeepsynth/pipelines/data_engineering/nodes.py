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
from axondeepsynth.artifacts.tile_set import TilePlan
from axondeepsynth.imaging.image_checks import check_records
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.inputs import InputsParams, ModalityInput
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
    """

    images: dict[str, list[ScaledImageSource]]
    paired: dict[str, list[ScaledImageSource]] | None
    roots: tuple[Path, ...]


def make_phantoms(params: PhantomParams, generate: bool) -> PhantomCollection | PhantomsNotGenerated:
    """The phantom samples, rendered lazily while the ``phantoms`` dataset writes them (it keeps an
    existing tree made from the same config); with ``generate`` false (user data) a record saying so."""
    if not generate:
        return PhantomsNotGenerated("inputs.generate_phantoms is false")
    return generate_phantoms(params.to_config())


def _scaled_sources(spec: ModalityInput, inputs: InputsParams, parameter: str) -> list[ScaledImageSource]:
    records = discover_images(spec.path, inputs.exclude_dirs, spec.modality)
    return [ScaledImageSource(r, resolve_scale_factor(spec.scale, r.pixel_size_um, inputs.working_pixel_size_um,
                                                      f"{parameter}.scale ({r.path})"))
            for r in records]


def discover_sources(phantoms: Any, inputs: InputsParams) -> DiscoveredSources:
    """List both input folders, resolve scale factors and read each image once to check it.

    All checks happen here, before any output is written, so bad input fails the run with
    nothing on disk. The source's label maps are checked too (tutorship and its nnU-Net need them).

    Args:
        phantoms: the phantom manifest (or the record that none were generated): taken so that a
            fresh clone's phantoms exist before the input folders are listed.
        inputs: the user's data.

    Raises:
        ParameterError, SourceNotFoundError, ImageReadError, LabelMapAmongImagesError,
            LabelShapeMismatchError: bad input, named in the message.
    """
    del phantoms
    images = {
        inputs.source.modality: _scaled_sources(inputs.source, inputs, "inputs.source"),
        inputs.target.modality: _scaled_sources(inputs.target, inputs, "inputs.target"),
    }
    if len(images) != 2:
        raise ValueError(f"inputs.source.modality and inputs.target.modality are both '{inputs.source.modality}'; "
                         "give the two modalities distinct names.")
    for name, items in images.items():
        check_records([item.record for item in items], with_labels=name == inputs.source.modality)
        logger.info("Modality %s: %d image(s).", name, len(items))
    paired = discover_pairs(inputs.paired, images) if inputs.paired is not None else None
    if paired is not None:
        check_records([item.record for items in paired.values() for item in items])
    roots = [inputs.source.path, inputs.target.path, *([inputs.paired] if inputs.paired is not None else [])]
    return DiscoveredSources(images, paired, tuple(roots))


def split_syndiff_sources(
    sources: DiscoveredSources, params: DataEngineeringParams
) -> tuple[SynDiffSplit, SynDiffSplit, SynDiffSplit, SynDiffSplit, dict[str, dict[str, float]]]:
    """Split each modality by subject (see :mod:`.splitting`) into the train, val, test and
    paired SynDiff files' contents.

    Returns:
        (train, val, test, paired, image counts ``images.<split>.<modality>`` as MLflow metrics); ``paired``
        has no images without ``inputs.paired``, and its dataset then writes nothing.
    """
    ratios = params.split_ratios.as_dict()
    per_split: dict[str, dict[str, list[ScaledImageSource]]] = {s: {} for s in SPLITS}
    shared: dict[str, list[str]] = {s: [] for s in SPLITS}
    for modality, items in sources.images.items():
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
    paired = SynDiffSplit(sources.paired or {}, sources.roots, params.overwrite, {"split": "paired"})
    return splits[0], splits[1], splits[2], paired, counts


def plan_tiles_to_translate(sources: DiscoveredSources, params: DataEngineeringParams) -> TilePlan:
    """Plan the tiles of the (already checked) labelled source images; read lazily by the dataset."""
    modality = next(iter(sources.images))
    tiling = params.to_translate
    tiled = [TiledImageSource(item.record, item.scale_factor, tiling.tile_size, tiling.overlap)
             for item in sources.images[modality]]
    logger.info("To translate: %d %s image(s), %d px tiles, %d px overlap.", len(tiled), modality,
                tiling.tile_size, tiling.overlap)
    return TilePlan(name=tiling.name, modality=modality, tile_size=tiling.tile_size, overlap=tiling.overlap,
                    images=tiled, source_roots=sources.roots, overwrite=params.overwrite)

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

import mlflow

from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffSplit
from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan
from axondeepsynth.imaging.image_checks import check_records
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import DEFAULT_EXCLUDE_DIRS, discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.pipelines.data_engineering.paired_sources import discover_pairs
from axondeepsynth.pipelines.data_engineering.parameters import (
    PREFIX,
    SPLITS,
    SourceSpec,
    TranslateSpec,
    optional_pixel_size,
    parse_modalities,
    parse_split_ratios,
    parse_to_translate,
)
from axondeepsynth.pipelines.data_engineering.splitting import split_by_group
from axondeepsynth.phantoms import PhantomCollection, PhantomConfig, generate_phantoms

logger = logging.getLogger(__name__)


@dataclass
class DiscoveredSources:
    """Every checked input of the pipeline, ready to split and tile.

    Attributes:
        images: both modalities' images (contrast1 first), each with its resolved scale factor.
        paired: aligned renderings (index i of each modality is the same tissue) when the
            ``paired`` parameter is set, else ``None``.
        to_translate: the parsed ``to_translate`` block; ``translate_images`` its checked images.
        roots: every input folder (modalities, paired, dataset to translate): no output may go inside.
    """

    images: dict[str, list[ScaledImageSource]]
    paired: dict[str, list[ScaledImageSource]] | None
    to_translate: TranslateSpec
    translate_images: list[TiledImageSource]
    roots: tuple[Path, ...]


def make_phantoms(phantom_params: dict[str, Any]) -> PhantomCollection:
    """The phantom samples of ``data_engineering.phantoms``, rendered lazily while the
    ``phantoms`` dataset writes them (it keeps an existing tree made from the same config)."""
    return generate_phantoms(PhantomConfig.from_params(phantom_params))


def _scale_factor(spec: SourceSpec, record: ImageRecord, target_um: float | None) -> float:
    return resolve_scale_factor(spec.scale, record.pixel_size_um, target_um, f"{spec.parameter} ({record.path})")


def _scaled_sources(
    spec: SourceSpec, modality: str, exclude_dirs: tuple[str, ...], target_um: float | None
) -> list[ScaledImageSource]:
    records = discover_images(spec.path, exclude_dirs, modality)
    return [ScaledImageSource(r, _scale_factor(spec, r, target_um)) for r in records]


def discover_sources(phantoms: Any, params: dict[str, Any]) -> DiscoveredSources:
    """List every input, resolve scale factors and read each image once to check it.

    All checks happen here, before any output is written, so bad input fails the run with
    nothing on disk.

    Args:
        phantoms: the phantom manifest; only taken so that the phantoms exist before discovery.
        params: ``data_engineering`` (modalities, exclude_dirs, target_pixel_size_um, paired,
            to_translate).

    Raises:
        ParameterError, SourceNotFoundError, ImageReadError, LabelMapAmongImagesError,
            LabelShapeMismatchError: bad input, named in the message.
    """
    modalities = parse_modalities(params.get("modalities"))
    exclude_dirs = tuple(params.get("exclude_dirs", DEFAULT_EXCLUDE_DIRS))
    target_um = optional_pixel_size(params.get("target_pixel_size_um"), f"{PREFIX}.target_pixel_size_um")
    translate = parse_to_translate(params.get("to_translate"), target_um)
    images = {
        m.name: [item for spec in m.sources for item in _scaled_sources(spec, m.name, exclude_dirs, target_um)]
        for m in modalities
    }
    for name, items in images.items():
        check_records([item.record for item in items])
        logger.info("Modality %s: %d image(s).", name, len(items))
    paired_root = params.get("paired")
    paired = discover_pairs(Path(paired_root), images) if paired_root else None
    if paired is not None:
        check_records([item.record for items in paired.values() for item in items])
    translate_records = discover_images(translate.source.path, exclude_dirs, translate.modality)
    check_records(translate_records, with_labels=True)
    translate_images = [
        TiledImageSource(r, _scale_factor(translate.source, r, translate.target_pixel_size_um),
                         translate.tile_size, translate.overlap)
        for r in translate_records
    ]
    roots = [spec.path for m in modalities for spec in m.sources] + [translate.source.path]
    roots += [Path(paired_root)] if paired_root else []
    return DiscoveredSources(images, paired, translate, translate_images, tuple(roots))


def _log_counts(counts: dict[str, dict[str, int]]) -> None:
    """Log image counts per split and modality to the active MLflow run, if any."""
    if mlflow.active_run() is None:
        return
    for split, per_modality in counts.items():
        for modality, count in per_modality.items():
            mlflow.log_metric(f"{PREFIX}.images.{split}.{modality}", count)


def split_syndiff_sources(
    sources: DiscoveredSources, params: dict[str, Any]
) -> tuple[SynDiffSplit, SynDiffSplit, SynDiffSplit, SynDiffSplit]:
    """Split each modality by subject (see :mod:`.splitting`) into the train, val, test and
    paired SynDiff files' contents.

    Returns:
        (train, val, test, paired); ``paired`` has no images when the ``paired`` parameter is unset,
        and its dataset then writes nothing.
    """
    ratios = parse_split_ratios(params.get("split_ratios", {"train": 0.8, "val": 0.1, "test": 0.1}))
    seed = int(params.get("seed", 0))
    overwrite = bool(params.get("overwrite", False))
    per_split: dict[str, dict[str, list[ScaledImageSource]]] = {s: {} for s in SPLITS}
    shared: dict[str, list[str]] = {s: [] for s in SPLITS}
    for modality, items in sources.images.items():
        result = split_by_group(items, attrgetter("record.group"), ratios, seed, modality)
        for split in SPLITS:
            per_split[split][modality] = result.items[split]
            if split in result.shared_with_train:
                shared[split].append(modality)
    counts = {s: {m: len(v) for m, v in per_split[s].items()} for s in SPLITS}
    logger.info("SynDiff split (images per modality): %s", counts)
    _log_counts(counts)
    splits = [
        SynDiffSplit(per_split[s], sources.roots, overwrite, {"split": s, "shared_with_train": shared[s]})
        for s in SPLITS
    ]
    paired = SynDiffSplit(sources.paired or {}, sources.roots, overwrite, {"split": "paired"})
    return splits[0], splits[1], splits[2], paired


def plan_tiles_to_translate(sources: DiscoveredSources, params: dict[str, Any]) -> TilePlan:
    """Plan the tiles of the (already checked) dataset to translate; read lazily by the dataset.

    Args:
        sources: the discovered inputs (``to_translate`` spec and images, input roots).
        params: ``data_engineering`` (``overwrite``).
    """
    spec = sources.to_translate
    tiled = sources.translate_images
    logger.info("To translate: %d %s image(s), %d px tiles, %d px overlap.", len(tiled), spec.modality,
                spec.tile_size, spec.overlap)
    return TilePlan(name=spec.name, modality=spec.modality, tile_size=spec.tile_size, overlap=spec.overlap,
                    images=tiled, source_roots=sources.roots, overwrite=bool(params.get("overwrite", False)))

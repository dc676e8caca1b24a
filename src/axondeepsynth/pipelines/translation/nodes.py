"""Nodes of the translation pipeline: plan a translation, then measure and show what it wrote.

``plan_translation`` is pure: it checks the parameters, loads the generator from the checkpoint
store, lists the source images and returns a :class:`TranslationRequest`; the catalog's
``translation_output`` dataset runs it while writing (so memory stays bounded by batch and tile
size) and records a :class:`TranslationManifest`. The two reporting nodes read that manifest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import mlflow
from matplotlib.figure import Figure

from axondeepsynth.datasets.tile_hdf5_dataset import TileSet
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.pipelines.translation.parameters import (
    PREFIX,
    TranslationParameterError,
    TranslationParameters,
    check_overlap,
    parse_translation_parameters,
)
from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.translation.folder_source import FolderSource
from axondeepsynth.translation.model_translation import ModelTranslation, load_model_translation
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget
from axondeepsynth.translation.paired_renderings import index_paired_renderings
from axondeepsynth.translation.tile_set_source import TileSetSource
from axondeepsynth.translation.translation_manifest import TranslationManifest
from axondeepsynth.translation.translation_quality import before_after_figure, score_against_paired
from axondeepsynth.translation.translation_request import TranslationRequest
from axondeepsynth.translation.translation_source import TranslationSource

logger = logging.getLogger(__name__)

DEFAULT_ADAPTATION_ROOT = Path("data/07_model_output/translated")


def _tile_set_source(parsed: TranslationParameters) -> TileSetSource:
    tile_set = TileSet(parsed.source)
    if tile_set.modality != parsed.source_contrast:
        raise TranslationParameterError(
            f"{PREFIX}.source: tile set '{parsed.source}' holds {tile_set.modality!r} images but "
            f"{PREFIX}.source_contrast is {parsed.source_contrast!r}; make them agree."
        )
    if parsed.tile_size is not None and parsed.tile_size != tile_set.tile_size:
        raise TranslationParameterError(
            f"{PREFIX}.tile_size ({parsed.tile_size} px) differs from the tile set's {tile_set.tile_size} px; "
            "set it to null (tiles are precomputed) or re-run data_engineering with that tile size."
        )
    return TileSetSource(tile_set)


def _folder_source(parsed: TranslationParameters, tile_size: int) -> FolderSource:
    overlap = check_overlap(parsed.overlap, tile_size)
    records = discover_images(parsed.source, parsed.exclude_dirs, parsed.source_contrast)
    return FolderSource(
        [
            TiledImageSource(
                record=record,
                scale_factor=resolve_scale_factor(
                    parsed.scale_factor, record.pixel_size_um, parsed.target_pixel_size_um,
                    f"{PREFIX}.scale_factor ({record.path})",
                ),
                tile_size=tile_size,
                overlap=overlap,
            )
            for record in records
        ]
    )


def _source(parsed: TranslationParameters, model: ModelTranslation) -> TranslationSource:
    source = _tile_set_source(parsed) if parsed.source_is_tile_set else _folder_source(
        parsed, parsed.tile_size or model.image_size
    )
    tile_size = source.tile_set.tile_size if isinstance(source, TileSetSource) else parsed.tile_size
    if tile_size is not None and tile_size != model.image_size:
        logger.warning(
            "Translating %d px tiles with a generator trained on %d px tiles; the network is "
            "convolutional and accepts them, but results are best at the training size.",
            tile_size, model.image_size,
        )
    return source


def _destination(parsed: TranslationParameters, model: ModelTranslation) -> NnUNetRawTarget | Path:
    if parsed.mode == "tutorship":
        return NnUNetRawTarget(parsed.nnunet_dir, parsed.dataset_id, model.source_contrast, model.target_contrast)
    return parsed.output_dir or DEFAULT_ADAPTATION_ROOT / f"{model.source_contrast}_to_{model.target_contrast}"


def plan_translation(checkpoints: CheckpointStore, params: dict[str, Any]) -> TranslationRequest:
    """Check the ``translation`` parameters, load the generator and list the source images.

    Args:
        checkpoints: the SynDiff checkpoint store (catalog ``syndiff_checkpoints``).
        params: the ``translation`` parameters.

    Returns:
        The request the ``translation_output`` dataset runs when it is saved.

    Raises:
        TranslationParameterError: a bad parameter, named.
        FileExistsError: the nnU-Net dataset id or the output folder is taken (without overwrite).
    """
    parsed = parse_translation_parameters(params)
    model = load_model_translation(
        checkpoints, parsed.experiment, parsed.which_epoch, parsed.source_contrast, parsed.devices, parsed.cpu_threads
    )
    request = TranslationRequest(
        source=_source(parsed, model),
        translate_fn=model.translate_fn,
        batch_size=parsed.batch_size,
        seed=parsed.seed,
        source_contrast=model.source_contrast,
        target_contrast=model.target_contrast,
        destination=_destination(parsed, model),
        overwrite=parsed.overwrite,
    )
    request.refuse_existing_output()
    logger.info(
        "Translation planned: %d %s image(s) -> %s (%s) with %s epoch %s.",
        len(request.source.images), model.source_contrast, model.target_contrast, parsed.mode,
        parsed.experiment, model.epoch,
    )
    return request


def _paired_index(params: dict[str, Any], manifest: TranslationManifest) -> dict[str, Path]:
    paired_dir = parse_translation_parameters(params).paired_dir
    return index_paired_renderings(paired_dir, manifest.source_contrast) if paired_dir is not None else {}


def measure_translation(manifest: TranslationManifest, params: dict[str, Any]) -> dict[str, float]:
    """Throughput of the run and, with paired renderings, PSNR (dB) / SSIM of the translations.

    Returns ``translation.<name>`` metrics (also logged to the active MLflow run, if any):
    ``images``, ``tiles``, ``tiles_per_second`` and, when ground truth exists, ``psnr_db``,
    ``ssim`` (means over scored images) and ``scored_images``.
    """
    metrics = {
        f"{PREFIX}.images": float(manifest.stats.get("images", 0)),
        f"{PREFIX}.tiles": float(manifest.stats.get("tiles", 0)),
        f"{PREFIX}.tiles_per_second": float(manifest.stats.get("tiles_per_second", 0.0)),
    }
    paired = _paired_index(params, manifest)
    if paired:
        scores = score_against_paired(manifest.iter_pairs(), paired)
        if scores:
            metrics[f"{PREFIX}.psnr_db"] = sum(s.psnr_db for s in scores) / len(scores)
            metrics[f"{PREFIX}.ssim"] = sum(s.ssim for s in scores) / len(scores)
            metrics[f"{PREFIX}.scored_images"] = float(len(scores))
    logger.info("Translation metrics: %s", metrics)
    if mlflow.active_run() is not None:
        mlflow.log_metrics(metrics)
    return metrics


def plot_translation(manifest: TranslationManifest, params: dict[str, Any]) -> Figure:
    """Before/after figure of the first ``evaluation.figure_images`` translations."""
    parsed = parse_translation_parameters(params)
    title = f"{manifest.source_contrast} -> {manifest.target_contrast} ({manifest.mode})"
    return before_after_figure(manifest.iter_pairs(parsed.figure_images), _paired_index(params, manifest), title)

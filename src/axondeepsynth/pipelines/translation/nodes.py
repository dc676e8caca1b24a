"""Nodes of the translation pipeline: a lazy translation, then what it wrote measured and shown.

``translate_tiles`` (tutorship) and ``translate_images`` (adaptation) load the generator and list
the source images, and return a :class:`~axondeepsynth.artifacts.translated_images.TranslatedImages`
whose images are translated one batch at a time while the output dataset writes them (Kedro's lazy
saving), so memory stays bounded by batch and tile size. The reporting nodes read what was written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.artifacts.syndiff_model import TrainedSynDiff
from axondeepsynth.artifacts.tile_set import TileSet
from axondeepsynth.artifacts.translated_images import TranslatedImages
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.nnunet.raw_dataset import dataset_pixel_size_um
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.pipelines.mlflow_metrics import MlflowMetrics, as_mlflow_metrics
from axondeepsynth.translation.folder_source import FolderSource
from axondeepsynth.translation.model_translation import ModelTranslation, load_model_translation
from axondeepsynth.translation.paired_renderings import index_paired_renderings
from axondeepsynth.translation.tile_set_source import TileSetSource
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
from axondeepsynth.translation.translation_manifest import TranslationManifest
from axondeepsynth.translation.translation_quality import before_after_figure, score_against_paired
from axondeepsynth.translation.translation_source import TranslationSource, translated_cases

logger = logging.getLogger(__name__)


Loader = Callable[..., ModelTranslation]
"""Loads a translator from the checkpoints (``load_model_translation``'s arguments): the diffusive
generators by default, SynDiff's one-pass ResNet generators for the non-diffusive baseline arms."""


def _load(model: TrainedSynDiff, source_contrast: str, params: TranslationParams,
          loader: Loader = load_model_translation) -> ModelTranslation:
    experiment = model.experiment
    return loader(experiment.store, experiment.name, params.which_epoch, source_contrast,
                  params.torch_devices, params.cpu_threads, params.precision, params.channels_last)


def _warn_if_other_tile_size(tile_size: int, translation: ModelTranslation) -> None:
    if tile_size != translation.image_size:
        logger.warning("Translating %d px tiles with a generator trained on %d px tiles; the network is "
                       "convolutional and accepts them, but results are best at the training size.",
                       tile_size, translation.image_size)


def _lazy(source: TranslationSource, translation: ModelTranslation, params: TranslationParams,
          mode: str, pixel_size_um: float | None = None) -> TranslatedImages:
    """With ``pixel_size_um`` (tutorship, the target's working pixel size known) images stay at their
    scaled size and are recorded at it; otherwise they are resized back to their sources' sizes."""
    keep_scaled = pixel_size_um is not None
    engine = TiledTranslationEngine(translation.translate_fn, params.batch_size, params.seed,
                                    keep_scaled_size=keep_scaled)
    logger.info("Translation planned: %d %s image(s) -> %s (%s), epoch %d.", len(source.images),
                translation.source_contrast, translation.target_contrast, mode, translation.epoch)
    return TranslatedImages(translated_cases(source, engine), len(source.images), mode, translation.source_contrast,
                            translation.target_contrast, engine.stats, params.overwrite,
                            pixel_size_um)


def translate_tiles(model: TrainedSynDiff, tiles: TileSet, params: TranslationParams,
                    target: NnUNetRawHandle | None = None,
                    loader: Loader = load_model_translation) -> TranslatedImages:
    """Tutorship: the labelled source tile set into the other modality (labels carried along).

    The translations stay at the tiles' scaled size, where the source looks like the target at its
    working pixel size (what SynDiff learnt), and are recorded at that size: the pixel size of the
    target's export, ``target``'s ``dataset.json``. Where it is unknown (no ``target``, or target
    images without pixel size) they are resized back to the source sizes, as before.

    Args:
        model: catalog ``syndiff_model``.
        tiles: catalog ``tiles_to_translate`` (tiles precomputed; ``translation.tile_size`` must be
            null or agree).
        params: ``params:translation``.
        target: catalog ``target_nnunet_raw``, exported at the target's working pixel size.
        loader: see :data:`Loader`.
    """
    if params.tile_size is not None and params.tile_size != tiles.tile_size:
        raise ParameterError(
            f"translation.tile_size ({params.tile_size} px) differs from the tile set's {tiles.tile_size} px; set "
            "it to null (tiles are precomputed) or re-run data_engineering with "
            "data_engineering.to_translate.tile_size."
        )
    translation = _load(model, tiles.modality, params, loader)
    _warn_if_other_tile_size(tiles.tile_size, translation)
    pixel_size = dataset_pixel_size_um(target.dataset_json) if target is not None else None
    logger.info("Tutorship at the target's working pixel size: %s um/px.", pixel_size)
    return _lazy(TileSetSource(tiles), translation, params, "tutorship", pixel_size)


def translate_images(model: TrainedSynDiff, dataset: NnUNetRawHandle, params: TranslationParams,
                     working_pixel_size_um: float | None, loader: Loader = load_model_translation) -> TranslatedImages:
    """Adaptation: the held-out test images of ``dataset`` (the target modality) into the source
    modality, tiled here (``translation.tile_size``/``overlap``/``scale_factor``).

    Args:
        model: catalog ``syndiff_model``; its contrast2 is the target modality.
        dataset: catalog ``target_nnunet_raw``; its ``imagesTs`` are translated.
        params: ``params:translation``.
        working_pixel_size_um: for ``scale_factor: auto``.
        loader: see :data:`Loader`.
    """
    source_contrast = model.contrasts[1]
    translation = _load(model, source_contrast, params, loader)
    tile_size = params.tile_size or translation.image_size
    overlap = tile_size // 4 if params.overlap is None else params.overlap
    if overlap >= tile_size:
        raise ParameterError(f"translation.overlap ({overlap} px) must be smaller than the tile size ({tile_size} px).")
    _warn_if_other_tile_size(tile_size, translation)
    records = discover_images(dataset.test_images_dir, modality=source_contrast)
    source = FolderSource([
        TiledImageSource(record, resolve_scale_factor(params.scale_factor, record.pixel_size_um, working_pixel_size_um,
                                                      f"translation.scale_factor ({record.path})"),
                         tile_size, overlap)
        for record in records
    ])
    return _lazy(source, translation, params, "adaptation")


def _manifest(translated: TranslationManifest | NnUNetRawHandle) -> TranslationManifest:
    """The run's record, from an adaptation folder or inside a tutorship nnU-Net dataset."""
    return translated if isinstance(translated, TranslationManifest) else translated.translation


def _paired_index(paired: Path | None, manifest: TranslationManifest) -> dict[str, Path]:
    return index_paired_renderings(paired, manifest.source_contrast) if paired is not None else {}


def measure_translation(translated: TranslationManifest | NnUNetRawHandle,
                        paired: Path | None) -> tuple[dict[str, float], MlflowMetrics]:
    """Throughput of the run and, with paired renderings (``inputs.paired``), PSNR (dB) / SSIM.

    Returns ``images``, ``tiles``, ``tiles_per_second`` and, when ground truth exists, ``psnr_db``,
    ``ssim`` (means over scored images) and ``scored_images``; and the same as MLflow metrics
    (catalog ``{arm}.translation_mlflow``: ``<arm>.translation.<name>``).
    """
    manifest = _manifest(translated)
    metrics = {key: float(manifest.stats.get(key, 0.0)) for key in ("images", "tiles", "tiles_per_second")}
    scores = score_against_paired(manifest.iter_pairs(), _paired_index(paired, manifest))
    if scores:
        metrics["psnr_db"] = sum(s.psnr_db for s in scores) / len(scores)
        metrics["ssim"] = sum(s.ssim for s in scores) / len(scores)
        metrics["scored_images"] = float(len(scores))
    logger.info("Translation metrics: %s", metrics)
    return metrics, as_mlflow_metrics(metrics)


def plot_translation(translated: TranslationManifest | NnUNetRawHandle, paired: Path | None,
                     params: TranslationParams) -> Figure:
    """Before/after figure of the first ``translation.figure_images`` translations."""
    manifest = _manifest(translated)
    title = f"{manifest.source_contrast} -> {manifest.target_contrast} ({manifest.mode})"
    return before_after_figure(manifest.iter_pairs(params.figure_images), _paired_index(paired, manifest), title)

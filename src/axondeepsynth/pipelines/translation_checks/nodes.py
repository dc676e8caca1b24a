"""Nodes of the translation checks: how far a translation can be trusted without an oracle.

``compute_trust_maps`` translates each image of an adaptation run K times with other noise and
back (:mod:`~axondeepsynth.translation.trust_map`), ``score_trust_maps`` measures on phantoms
whether the maps predict the fibres the arm's segmentation finds invented or lost (ROC AUC) and
draws them in the faithfulness figure, and ``measure_kid`` gives the Kernel Inception Distance
between an arm's translations and real images of the modality they imitate, with the source
model's nnU-Net encoder as feature extractor (:mod:`~axondeepsynth.evaluation.kid`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from PIL import Image
from tqdm import tqdm

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.artifacts.syndiff_model import TrainedSynDiff
from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample
from axondeepsynth.evaluation.faithfulness_figure import worst_translations_figure
from axondeepsynth.evaluation.kid import EncoderFeatures, kid_between_images
from axondeepsynth.evaluation.trust_map_auc import FibreTrustScores, fibre_trust_scores
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.rescaling import resolve_scale_factor
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.prediction import load_predictor
from axondeepsynth.nnunet.training import model_dir
from axondeepsynth.parameters.segmentation import EvaluationParams, NnUNetParams, PredictionParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.parameters.translation_checks import TranslationChecksParams
from axondeepsynth.translation.model_translation import load_model_translation
from axondeepsynth.translation.translation_manifest import TranslationManifest
from axondeepsynth.translation.trust_map import CYCLE_SUFFIX, SPREAD_SUFFIX, as_grey_levels, flag_trust, trust_map

logger = logging.getLogger(__name__)

Translated = TranslationManifest | NnUNetRawHandle


def _manifest(translated: Translated) -> TranslationManifest:
    return translated if isinstance(translated, TranslationManifest) else translated.translation


def compute_trust_maps(model: TrainedSynDiff, dataset: NnUNetRawHandle, translated: TranslationManifest,
                       params: TranslationParams, checks: TranslationChecksParams,
                       working_pixel_size_um: float | None) -> tuple[dict[str, Image.Image], pd.DataFrame]:
    """Spread over ``translation_checks.trust_map.draws`` noise draws and cycle error of every
    image an adaptation run translated, tiled and seeded exactly as that run did.

    Args:
        model: catalog ``syndiff_model``.
        dataset: catalog ``target_nnunet_raw`` (the run translated its ``imagesTs``).
        translated: the run (``adaptation.translated_images``); its outputs are draw 0.
        params, working_pixel_size_um: the run's ``translation`` block and working pixel size.

    Returns:
        ``{<stem>_spread, <stem>_cycle_error: grey-level PNG}`` and one row per image:
        ``image``, ``mean_spread``, ``mean_cycle_error`` (grey levels), ``flagged_tiles``,
        ``tiles``, ``flagged``.
    """
    store, name = model.experiment.store, model.experiment.name
    forward = load_model_translation(store, name, params.which_epoch, translated.source_contrast,
                                     params.torch_devices, params.cpu_threads)
    backward = load_model_translation(store, name, params.which_epoch, translated.target_contrast,
                                      params.torch_devices, params.cpu_threads)
    tile_size = params.tile_size or forward.image_size
    overlap = tile_size // 4 if params.overlap is None else params.overlap
    settings = checks.trust_map.settings(params.seed, tile_size, overlap, params.batch_size)
    records = {str(record.path.resolve()): record
               for record in discover_images(dataset.test_images_dir, modality=translated.source_contrast)}
    images: dict[str, Image.Image] = {}
    rows = []
    pairs = list(translated.outputs.items())
    for index, (output, source) in enumerate(tqdm(pairs, desc="trust maps", unit="image")):
        record = records[str(Path(source).resolve())]
        scale = resolve_scale_factor(params.scale_factor, record.pixel_size_um, working_pixel_size_um,
                                     f"translation.scale_factor ({record.path})")
        trust = trust_map(read_grayscale(record.path), index, forward.translate_fn, backward.translate_fn, settings,
                          scale, first_draw=read_grayscale(output))
        stem = Path(output).stem
        images[f"{stem}{SPREAD_SUFFIX}"] = Image.fromarray(as_grey_levels(trust.spread))
        images[f"{stem}{CYCLE_SUFFIX}"] = Image.fromarray(as_grey_levels(trust.cycle_error))
        flags = flag_trust(trust, settings)
        rows.append({"image": stem, "mean_spread": flags.mean_spread, "mean_cycle_error": flags.mean_cycle_error,
                     "flagged_tiles": len(flags.flagged_tiles), "tiles": flags.tiles, "flagged": flags.flagged})
    table = pd.DataFrame(rows)
    flagged = table.loc[table["flagged"], "image"].tolist() if len(table) else []
    if flagged:
        logger.warning("Translations to check (spread or cycle error above threshold): %s", flagged)
    return images, table


def _trust_of(partitions: dict[str, Callable[[], Image.Image]], stem: str, suffix: str) -> np.ndarray:
    return np.asarray(partitions[f"{stem}{suffix}"](), dtype=np.float32)


def score_trust_maps(partitions: dict[str, Callable[[], Image.Image]], flags: pd.DataFrame,
                     masks: dict[str, np.ndarray], cases: dict[str, dict[str, Any]], translated: TranslationManifest,
                     evaluation: EvaluationParams, checks: TranslationChecksParams) -> tuple[dict[str, float], Figure]:
    """Does the trust map predict the fibres the arm's segmentation invents or loses? And the figure.

    Args:
        partitions: the trust-map PNGs (``{arm}.trust_maps``, loaded lazily).
        flags: the per-image table of :func:`compute_trust_maps`.
        masks, cases: the arm's segmentation of the translations (``{arm}.segmentation_masks`` /
            ``_cases``): what the model sees in each translation, and the real labels.
        evaluation: fibre matching (``segmentation.evaluation``).

    Returns:
        ``auc_spread`` and ``auc_cycle_error`` (ROC AUC of per-fibre mean spread / cycle error
        against invented-or-lost; 0.5 predicts nothing, NaN without both kinds of fibre),
        ``draws``, ``unfaithful_fibres``, ``faithful_fibres``, ``images``, ``flagged_images``,
        ``flagged_tiles``, ``mean_spread``, ``mean_cycle_error``; and the faithfulness figure of
        the ``figure_images`` images of highest spread with their trust maps.
    """
    sources = {Path(output).stem: source for output, source in translated.outputs.items()}
    spread_scores, cycle_scores = FibreTrustScores(), FibreTrustScores()
    examples = []
    for name, predicted in masks.items():
        case = cases[name]
        stem = Path(case["image"]).stem
        spread = _trust_of(partitions, stem, SPREAD_SUFFIX)
        cycle = _trust_of(partitions, stem, CYCLE_SUFFIX)
        labels = read_label_map(case["label"])
        spread_scores.extend(fibre_trust_scores(labels, predicted, spread, evaluation.min_iou,
                                                evaluation.min_axon_area_px))
        cycle_scores.extend(fibre_trust_scores(labels, predicted, cycle, evaluation.min_iou,
                                               evaluation.min_axon_area_px))
        examples.append(FaithfulnessExample(name, float(spread.mean()), read_grayscale(sources[stem]),
                                            read_grayscale(case["image"]), labels, predicted, spread, cycle))
    unfaithful, faithful = spread_scores.counts
    summary = {
        "auc_spread": spread_scores.auc(), "auc_cycle_error": cycle_scores.auc(),
        "draws": float(checks.trust_map.draws),
        "unfaithful_fibres": float(unfaithful), "faithful_fibres": float(faithful), "images": float(len(flags)),
        "flagged_images": float(flags["flagged"].sum()) if len(flags) else 0.0,
        "flagged_tiles": float(flags["flagged_tiles"].sum()) if len(flags) else 0.0,
        "mean_spread": float(flags["mean_spread"].mean()) if len(flags) else math.nan,
        "mean_cycle_error": float(flags["mean_cycle_error"].mean()) if len(flags) else math.nan,
    }
    logger.info("Trust map vs invented/lost fibres (%d of %d): AUC spread %.3f, cycle error %.3f.", unfaithful,
                unfaithful + faithful, summary["auc_spread"], summary["auc_cycle_error"])
    shown = sorted(examples, key=lambda e: -e.score)[: checks.trust_map.figure_images]
    title = (f"Trust maps of {translated.source_contrast} -> {translated.target_contrast} ({translated.mode}); "
             "score = mean spread")
    return summary, worst_translations_figure(shown, title)


def _encoder(plan: dict[str, Any], nnunet: NnUNetParams, prediction: PredictionParams,
             fold_models: tuple[dict[str, Any], ...]) -> EncoderFeatures:
    trained = [model for model in fold_models if not model.get("skipped")]
    if not trained:
        raise ValueError("the KID feature extractor needs a trained fold of the source model.")
    paths = activate_nnunet_environment(plan["base_dir"], nnunet.num_processes)
    folder = model_dir(paths, plan["dataset_name"], trained[0]["trainer"], plan["plans_identifier"],
                       plan["configuration"])
    return EncoderFeatures(load_predictor(folder, [trained[0]["fold"]], prediction.settings()).network)


def measure_kid(translated: Translated, real: NnUNetRawHandle, plan: dict[str, Any], nnunet: NnUNetParams,
                prediction: PredictionParams, checks: TranslationChecksParams,
                *fold_models: dict[str, Any]) -> dict[str, float]:
    """KID of an arm's translations, and of the images before translation, to real images of the
    modality the translations imitate (``real``'s training images).

    The features are the source model's encoder (``plan`` and its ``fold_models``). Returns
    ``kid`` / ``kid_std`` (translations) and ``kid_untranslated`` / ``kid_untranslated_std``: a
    translation that works brings ``kid`` below ``kid_untranslated``.
    """
    features = _encoder(plan, nnunet, prediction, fold_models)
    manifest = _manifest(translated)
    reference = [read_grayscale(record.path) for record in discover_images(real.path / "imagesTr")]
    outputs = [read_grayscale(path) for path in manifest.outputs]
    inputs = [read_grayscale(path) for path in manifest.outputs.values()]
    kid = checks.kid
    after, before = (kid_between_images(reference, images, features, kid.patch_size, kid.patches_per_image, kid.seed,
                                        kid.subsets) for images in (outputs, inputs))
    logger.info("KID to real %s: %.4g translated, %.4g untranslated.", manifest.target_contrast, after.mean,
                before.mean)
    return {"kid": after.mean, "kid_std": after.std, "kid_untranslated": before.mean,
            "kid_untranslated_std": before.std}

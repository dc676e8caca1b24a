"""The translation-check nodes on phantoms: trust maps of an adaptation run, their AUC and figure, KID."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment, TrainedSynDiff
from axondeepsynth.datasets.translated_images_dataset import TranslatedImagesDataset
from axondeepsynth.evaluation.faithfulness_figure import COLUMNS, TRUST_COLUMNS
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map, write_png_atomic
from axondeepsynth.parameters.segmentation import EvaluationParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.parameters.translation_checks import TranslationChecksParams
from axondeepsynth.pipelines.translation.nodes import translate_images
from axondeepsynth.pipelines.translation_checks.nodes import compute_trust_maps, score_trust_maps
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

SMALL_MODEL = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64,
                         "n_mlp": 1}}
TRANSLATION = TranslationParams(which_epoch="latest", tile_size=None, overlap=None, scale_factor=1.0, batch_size=8,
                                device="cpu", devices=(), cpu_threads=1, precision="fp32", channels_last=False, seed=42,
                                overwrite=False, figure_images=1)
CHECKS = TranslationChecksParams.model_validate({
    "trust_map": {"draws": 3, "flag_tile": 32, "spread_threshold": 1.0, "cycle_threshold": 40.0, "figure_images": 2},
    "kid": {"patch_size": 32, "patches_per_image": 8, "subsets": 10, "seed": 0}})


@pytest.fixture(scope="module")
def adapted(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """(model, target dataset, adaptation manifest): phantom TEM test images translated to SEM."""
    root = tmp_path_factory.mktemp("checks")
    raw = root / "nnunet" / "nnUNet_raw" / "Dataset502_PHANTOM_TEM"
    shutil.copytree(phantom_root / "nnunet" / "Dataset502_PHANTOM_TEM", raw)
    for folder, reader in (("imagesTs", read_grayscale), ("labelsTs", read_label_map)):
        for path in (raw / folder).glob("*.png"):  # 100 x 110 px crops: 4 tiles each
            write_png_atomic(path, np.ascontiguousarray(reader(path)[:100, :110]), overwrite=True)
    target = NnUNetRawHandle(raw, 502)
    store = write_untrained_checkpoint(root / "syndiff", "exp", ("sem", "tem"), overrides=SMALL_MODEL)
    model = TrainedSynDiff(SynDiffExperiment(store, "exp"), ("sem", "tem"))
    dataset = TranslatedImagesDataset(str(root / "adaptation" / "translated"))
    dataset.save(translate_images(model, target, TRANSLATION, None))
    return model, target, dataset.load()


def test_trust_maps_of_an_adaptation_run_and_their_auc(adapted) -> None:
    model, target, manifest = adapted
    images, flags = compute_trust_maps(model, target, manifest, TRANSLATION, CHECKS, None)
    stems = [Path(output).stem for output in manifest.outputs]
    assert sorted(images) == sorted(f"{stem}{suffix}" for stem in stems for suffix in ("_spread", "_cycle_error"))
    first = read_grayscale(next(iter(manifest.outputs)))
    assert np.asarray(images[f"{stems[0]}_spread"]).shape == first.shape
    assert flags["image"].tolist() == stems and flags["mean_spread"].gt(0).all()
    assert flags["flagged"].all()  # untrained weights: the draws disagree by far more than 1 grey level

    cases, masks = {}, {}
    for output, source in manifest.outputs.items():
        name = Path(output).stem
        label = target.test_labels_dir / f"{name.removesuffix('_0000')}.png"
        cases[name] = {"image": output, "label": str(label), "pixel_size_um": None}
        labels = read_label_map(label)
        masks[name] = np.where(labels == 2, 0, labels).astype(np.uint8) if len(masks) == 0 else labels
    partitions = {key: (lambda image=image: image) for key, image in images.items()}
    evaluation = EvaluationParams(min_iou=0.5, min_axon_area_px=4, overlay_images=1)
    summary, figure = score_trust_maps(partitions, flags, masks, cases, manifest, evaluation, CHECKS)
    assert summary["unfaithful_fibres"] > 0 and summary["faithful_fibres"] > 0  # the first image's axons are lost
    assert 0.0 <= summary["auc_spread"] <= 1.0 and 0.0 <= summary["auc_cycle_error"] <= 1.0
    assert summary["images"] == len(stems) and summary["draws"] == 3
    assert len(figure.get_axes()) == 2 * (len(COLUMNS) + len(TRUST_COLUMNS))

"""The translation pipeline end to end on phantoms, with an untrained small SynDiff checkpoint:
tutorship (nnU-Net raw dataset passing nnU-Net's integrity check, labels unchanged) and
adaptation (one image per source, same size), plus the metrics against paired renderings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from kedro.io import DataCatalog, DatasetError, MemoryDataset
from kedro.runner import SequentialRunner
from matplotlib.figure import Figure

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment, TrainedSynDiff
from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSetHDF5Dataset
from axondeepsynth.datasets.translated_images_dataset import TranslatedImagesDataset
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.pipelines.translation import create_pipeline
from axondeepsynth.pipelines.translation.nodes import translate_images, translate_tiles
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

SMALL_MODEL = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64}}
TRANSLATION = {"overlap": 16, "batch_size": 4, "device": "cpu", "cpu_threads": 1, "seed": 3, "figure_images": 2}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> TrainedSynDiff:
    """Untrained generators between sem (contrast1) and tem, epoch 1 (64 px tiles)."""
    store = write_untrained_checkpoint(tmp_path_factory.mktemp("syndiff"), "phantom_exp", ("sem", "tem"),
                                       overrides=SMALL_MODEL)
    return TrainedSynDiff(SynDiffExperiment(store, "phantom_exp"), ("sem", "tem"))


@pytest.fixture
def params(shipped_parameters):
    return TranslationParams.model_validate(shipped_parameters(translation=TRANSLATION)["translation"])


def _phantom_tile_set(phantom_root: Path, out: Path) -> TileSetHDF5Dataset:
    """The data_engineering tile set of the phantom SEM images (at 0.1 um/px already, 64 px tiles)."""
    records = discover_images(phantom_root / "sem_bids", modality="sem")
    plan = TilePlan(name="phantom", modality="sem", tile_size=64, overlap=16,
                    images=[TiledImageSource(r, 1.0, 64, 16) for r in records])
    dataset = TileSetHDF5Dataset(str(out / "tiles.hdf5"))
    dataset.save(plan)
    return dataset


def _target_test_images(phantom_root: Path) -> NnUNetRawHandle:
    """The phantom tree's TEM nnU-Net dataset (its imagesTs are what adaptation translates)."""
    folder = next((phantom_root / "nnunet").glob("Dataset*_PHANTOM_TEM"))
    return NnUNetRawHandle(folder, 502, json.loads((folder / "dataset.json").read_text()))


def _run(model, phantom_root, out, shipped_parameters, add_parameters) -> DataCatalog:
    catalog = DataCatalog({
        "syndiff_model": MemoryDataset(model, copy_mode="assign"),
        "tiles_to_translate": _phantom_tile_set(phantom_root, out),
        "target_nnunet_raw": MemoryDataset(_target_test_images(phantom_root), copy_mode="assign"),
        "tutorship.nnunet_raw": NnUNetRawDataset(str(out / "nnunet"), 42, "TUTORSHIP"),
        "adaptation.translated_images": TranslatedImagesDataset(str(out / "adapted")),
        **{f"{arm}.{name}": MemoryDataset(copy_mode="assign") for arm in ("tutorship", "adaptation")
           for name in ("translation_metrics", "translation_figure")},
    })
    params = shipped_parameters(translation=TRANSLATION, inputs={"paired": str(phantom_root / "paired")})
    SequentialRunner().run(create_pipeline(), add_parameters(catalog, params))
    return catalog


def test_tutorship_and_adaptation_on_phantoms(model, phantom_root, tmp_path, shipped_parameters, add_parameters):
    catalog = _run(model, phantom_root, tmp_path, shipped_parameters, add_parameters)

    dataset = catalog.load("tutorship.nnunet_raw")
    dataset_dir = tmp_path / "nnunet" / "nnUNet_raw" / "Dataset042_TUTORSHIP"
    assert dataset.path == dataset_dir and dataset.translation.target_contrast == "tem"
    activate_nnunet_environment(tmp_path / "nnunet", num_processes=1)
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

    verify_dataset_integrity(str(dataset_dir), num_processes=1)
    sources = discover_images(phantom_root / "sem_bids", modality="sem")
    assert len(dataset.translation.outputs) == len(sources)
    mapping = json.loads((dataset_dir / "translated_to_original.json").read_text())
    for case, entry in mapping.items():
        assert read_grayscale(dataset_dir / entry["image"]).shape == read_grayscale(entry["source_image"]).shape
        source = next(r for r in sources if str(r.path) == entry["source_image"])
        carried = (dataset_dir / "labelsTr" / f"{case}.png")
        assert carried.is_file() and source.label_path is not None

    metrics = catalog.load("tutorship.translation_metrics")
    assert metrics["images"] == len(sources) and metrics["tiles_per_second"] > 0
    assert metrics["scored_images"] == len(sources)
    assert np.isfinite(metrics["psnr_db"]) and -1 <= metrics["ssim"] <= 1
    figure = catalog.load("tutorship.translation_figure")
    assert isinstance(figure, Figure) and len(figure.axes) == 2 * 3

    adapted = catalog.load("adaptation.translated_images")
    assert adapted.mode == "adaptation" and (adapted.source_contrast, adapted.target_contrast) == ("tem", "sem")
    test_images = sorted(_target_test_images(phantom_root).test_images_dir.glob("*.png"))
    assert sorted(p.name for p in (tmp_path / "adapted").glob("*.png")) == [p.name for p in test_images]
    for path in test_images:
        assert read_grayscale(tmp_path / "adapted" / path.name).shape == read_grayscale(path).shape
    assert catalog.load("adaptation.translation_metrics")["images"] == len(test_images)

    with pytest.raises(Exception, match="overwrite"):
        SequentialRunner().run(create_pipeline(), catalog)


def test_tiling_that_disagrees_with_the_tile_set_or_itself_is_refused(model, phantom_root, tmp_path, params):
    tiles = _phantom_tile_set(phantom_root, tmp_path).load()
    with pytest.raises(ParameterError, match=r"translation\.tile_size \(128 px\) differs"):
        translate_tiles(model, tiles, params.model_copy(update={"tile_size": 128}))
    with pytest.raises(ParameterError, match=r"translation\.overlap \(64 px\)"):
        translate_images(model, _target_test_images(phantom_root), params.model_copy(update={"overlap": 64}), 0.1)


def test_existing_dataset_id_is_refused_before_translating(model, phantom_root, tmp_path, params):
    taken = tmp_path / "nnunet" / "nnUNet_raw" / "Dataset042_MY_DATA"
    taken.mkdir(parents=True)
    translated = translate_tiles(model, _phantom_tile_set(phantom_root, tmp_path).load(), params)
    with pytest.raises(DatasetError, match=r"dataset id 42 is already used .* catalog entry another dataset_id"):
        NnUNetRawDataset(str(tmp_path / "nnunet"), 42, "TUTORSHIP").save(translated)
    assert translated.stats.tiles == 0, "refused before any tile was translated"
    assert [p.name for p in taken.parent.iterdir()] == ["Dataset042_MY_DATA"]

"""The tutorship node writes at the target's working pixel size: translations stay at the tile
set's scaled size and ``dataset.json`` records the pixel size of the target's export (phantoms,
an untrained small SynDiff checkpoint)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from axondeepsynth.artifacts.syndiff_model import SynDiffExperiment, TrainedSynDiff
from axondeepsynth.datasets.nnunet_raw_dataset import NnUNetRawDataset
from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSetHDF5Dataset
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.rescaling import scaled_shape
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import (
    export_target_dataset,
)
from axondeepsynth.pipelines.data_engineering.nodes import discover_sources
from axondeepsynth.pipelines.translation.nodes import translate_tiles
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

SMALL_MODEL = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64}}
SOURCE_SCALE = 0.5  # the phantom SEM (0.1 um/px) at a 0.2 um/px working size


def test_tutorship_is_written_at_the_targets_working_pixel_size(phantom_root, tmp_path, shipped_parameters):
    inputs = InputsParams.model_validate(shipped_parameters(inputs={
        "generate_phantoms": False,
        "source": {"modality": "sem", "path": str(phantom_root / "sem_bids"), "scale": SOURCE_SCALE},
        "target": {"modality": "tem", "path": str(phantom_root / "tem_bids"), "scale": 0.25, "test_fraction": 0.34,
                   "test_seed": 0, "transductive": False, "regions": None},
        "paired": None})["inputs"])
    target_dataset = NnUNetRawDataset(str(tmp_path / "nnunet"), 512, "TARGET")
    target_dataset.save(export_target_dataset(discover_sources(None, inputs), inputs, NnUNetExportParams.model_validate(
        shipped_parameters()["nnunet_export"])))
    target = target_dataset.load()
    working_um = target.dataset_json["axondeepsynth"]["pixel_size_um"]
    assert working_um == pytest.approx(0.05 / 0.25), "the phantom TEM (0.05 um/px) at its scale"

    records = discover_images(phantom_root / "sem_bids", modality="sem")[:2]
    tiles = TileSetHDF5Dataset(str(tmp_path / "tiles.hdf5"))
    tiles.save(TilePlan(name="phantom", modality="sem", tile_size=64, overlap=16,
                        images=[TiledImageSource(r, SOURCE_SCALE, 64, 16) for r in records]))
    store = write_untrained_checkpoint(tmp_path / "syndiff", "exp", ("sem", "tem"), overrides=SMALL_MODEL)
    params = TranslationParams.model_validate(shipped_parameters(translation={
        "batch_size": 4, "device": "cpu", "cpu_threads": 1})["translation"])
    translated = translate_tiles(TrainedSynDiff(SynDiffExperiment(store, "exp"), ("sem", "tem")), tiles.load(), params,
                                 target)
    tutorship = NnUNetRawDataset(str(tmp_path / "nnunet"), 511, "TUTORSHIP")
    tutorship.save(translated)

    written = tutorship.load()
    assert written.dataset_json["axondeepsynth"]["pixel_size_um"] == pytest.approx(working_um)
    mapping = json.loads((written.path / "translated_to_original.json").read_text())
    assert len(mapping) == len(records)
    for entry in mapping.values():
        source_labels = read_label_map(entry["source_label"])
        image = read_grayscale(written.path / entry["image"])
        labels = read_label_map(written.path / entry["label"])
        assert image.shape == labels.shape == scaled_shape(source_labels.shape, SOURCE_SCALE)
        for value in (1, 2):
            assert np.mean(labels == value) == pytest.approx(np.mean(source_labels == value), abs=0.02)

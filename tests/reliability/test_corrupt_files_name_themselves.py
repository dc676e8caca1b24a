"""A truncated checkpoint, resume state or HDF5 set raises the project's CorruptFileError naming the
file and the pipeline to re-run, instead of torch's "PytorchStreamReader failed" or h5py's
"truncated file"; the damaged file itself is left as it was (the user may want to inspect it).
A ground-truth label map of the wrong size at evaluation names itself and its image."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from kedro.io import DatasetError
from reliability_helpers import checksums

from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset, SynDiffSplit
from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSet, TileSetHDF5Dataset
from axondeepsynth.errors import CorruptFileError
from axondeepsynth.imaging.image_checks import LabelShapeMismatchError
from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.parameters.segmentation import EvaluationParams
from axondeepsynth.pipelines.segmentation.nodes import evaluate_segmentations
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint


def _truncate(path: Path) -> dict[str, str]:
    """Cut ``path`` to half its size, as a kill or a full disk would; returns its new checksum."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return checksums(path)


def test_truncated_generator_checkpoint_names_itself(tmp_path: Path) -> None:
    store = write_untrained_checkpoint(tmp_path, "exp", ("sem", "tem"))
    damaged = store.generator_path("exp", "gen_diffusive_1", 1)
    after = _truncate(damaged)
    with pytest.raises(CorruptFileError, match=rf"SynDiff generator checkpoint '{damaged}' cannot be read, it is "
                                               r"truncated or corrupt \(PytorchStreamReader.*syndiff_training"):
        store.load_diffusive_generator("exp", "latest", 1)
    assert checksums(damaged) == after


def test_truncated_resume_state_names_itself(tmp_path: Path) -> None:
    store = write_untrained_checkpoint(tmp_path, "exp", ("sem", "tem"))
    generator, _, _ = store.load_diffusive_generator("exp", 1, 1)
    path = store.save_resume_state("exp", {"epoch": 1, "gen_diffusive_1": generator.state_dict(),
                                           "rng": torch.get_rng_state()})
    after = _truncate(path)
    with pytest.raises(CorruptFileError, match=rf"SynDiff resume state '{path}'.*syndiff_training.resume=false"):
        store.load_resume_state("exp")
    assert checksums(path) == after


def test_truncated_syndiff_set_names_itself(tmp_path: Path, phantom_root: Path) -> None:
    images = {m: [ScaledImageSource(r, 1.0) for r in discover_images(phantom_root / f"{m}_bids", modality=m)[:2]]
              for m in ("sem", "tem")}
    path = tmp_path / "dataset_train.hdf5"
    SynDiffHDF5Dataset(str(path)).save(SynDiffSplit(images))
    after = _truncate(path)
    expected = rf"SynDiff HDF5 set '{path}'.*truncated.*--pipeline data_engineering"
    with pytest.raises(DatasetError, match=expected) as error:
        SynDiffHDF5Dataset(str(path)).load()  # Kedro wraps a load error, keeping its message
    assert isinstance(error.value.__cause__, CorruptFileError)
    assert checksums(path) == after


def test_truncated_tile_set_names_itself(tmp_path: Path, phantom_root: Path) -> None:
    records = discover_images(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", modality="sem")[:2]
    plan = TilePlan(name="phantom", modality="sem", tile_size=64, overlap=16,
                    images=[TiledImageSource(r, 1.0, 64, 16) for r in records])
    TileSetHDF5Dataset(str(tmp_path)).save(plan)
    path = tmp_path / plan.filename
    after = _truncate(path)
    with pytest.raises(CorruptFileError, match=rf"Tile set '{path}'.*truncated.*--pipeline data_engineering"):
        TileSet(path)
    assert checksums(path) == after


def test_reference_label_map_of_another_size_names_both_files(phantom_root: Path) -> None:
    """Evaluation against a ground truth that belongs to another image (here: a TEM label map for a
    SEM image) names the label file and the image, not "axon maps differ in shape"."""
    sem = discover_images(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", modality="sem")[0]
    tem = discover_images(phantom_root / "nnunet" / "Dataset502_PHANTOM_TEM", modality="tem")[0]
    predicted = read_label_map(sem.label_path)
    cases = {"case": {"image": str(sem.path), "label": str(tem.label_path), "pixel_size_um": 0.1}}
    evaluation = EvaluationParams(min_iou=0.5, min_axon_area_px=4, overlay_images=0)
    with pytest.raises(LabelShapeMismatchError, match=rf"Label map '{tem.label_path}' is \d+x\d+ px but its image "
                                                      rf"'{sem.path}' is {predicted.shape[0]}x{predicted.shape[1]} px"):
        evaluate_segmentations({"case": predicted}, cases, evaluation)

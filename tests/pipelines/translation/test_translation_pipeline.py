"""The translation pipeline end to end on phantoms, with an untrained small SynDiff checkpoint:
tutorship (nnU-Net raw dataset passing nnU-Net's integrity check, labels unchanged) and
adaptation (one image per source, same size), plus the metrics against paired renderings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from matplotlib.figure import Figure

from axondeepsynth.datasets.tile_hdf5_dataset import TilePlan, TileSetHDF5Dataset
from axondeepsynth.datasets.translation_output_dataset import TranslationOutputDataset
from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.imaging.tiled_image_source import TiledImageSource
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.pipelines.translation import create_pipeline
from axondeepsynth.pipelines.translation.nodes import plan_translation
from axondeepsynth.pipelines.translation.parameters import TranslationParameterError
from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

SMALL_MODEL = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64}}


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """Untrained generators between sem (contrast1) and tem, epoch 1 (64 px tiles)."""
    return write_untrained_checkpoint(tmp_path_factory.mktemp("syndiff"), "phantom_exp", ("sem", "tem"), overrides=SMALL_MODEL)


def _params(source: Path, source_contrast: str, mode: str, out: Path, phantom_root: Path, scale: float) -> dict:
    return {
        "experiment": "phantom_exp",
        "which_epoch": "latest",
        "source_contrast": source_contrast,
        "mode": mode,
        "source": str(source),
        "tile_size": None,
        "overlap": 16,
        "scale_factor": scale,
        "batch_size": 4,
        "device": "cpu",
        "cpu_threads": 1,
        "seed": 3,
        "tutorship": {"nnunet_dir": str(out / "nnunet"), "dataset_id": 42},
        "adaptation": {"output_dir": str(out / "adapted")},
        "evaluation": {"paired_dir": str(phantom_root / "paired"), "figure_images": 2},
    }


def _run(checkpoints, params: dict, out: Path) -> tuple[DataCatalog, dict]:
    catalog = DataCatalog(
        {
            "syndiff_checkpoints": MemoryDataset(checkpoints, copy_mode="assign"),
            "params:translation": MemoryDataset(params),
            "translation_output": TranslationOutputDataset(str(out / "manifest.json")),
            "translation_metrics": MemoryDataset(),
            "translation_figure": MemoryDataset(copy_mode="assign"),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    return catalog, catalog["translation_metrics"].load()


def _sources(folder: Path) -> list[Path]:
    return sorted(folder.glob("images*/*_0000.png"))


def _phantom_tile_set(nnunet_source: Path, out: Path) -> Path:
    """The data_engineering tile set of the phantom SEM nnU-Net dataset (scaled 0.5, 64 px tiles)."""
    records = discover_images(nnunet_source, modality="sem")
    plan = TilePlan(name="phantom", modality="sem", tile_size=64, overlap=16,
                    images=[TiledImageSource(r, 0.5, 64, 16) for r in records])
    path = out / "to_translate" / "phantom_sem.hdf5"
    TileSetHDF5Dataset(str(path)).save(plan)
    return path


def test_tutorship_from_the_phantom_tile_set(checkpoints, phantom_root, tmp_path):
    source = next((phantom_root / "nnunet").glob("Dataset*_PHANTOM_SEM"))
    params = _params(_phantom_tile_set(source, tmp_path), "sem", "tutorship", tmp_path, phantom_root, scale=1.0)
    catalog, metrics = _run(checkpoints, params, tmp_path)

    manifest = catalog["translation_output"].load()
    dataset_dir = tmp_path / "nnunet" / "nnUNet_raw" / "Dataset042_SYNTH_tem_from_sem"
    assert manifest.output_dir == dataset_dir.resolve() and manifest.target_contrast == "tem"
    activate_nnunet_environment(tmp_path / "nnunet", num_processes=1)
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

    verify_dataset_integrity(str(dataset_dir), num_processes=1)

    assert len(manifest.outputs) == len(_sources(source))
    for output, original in manifest.outputs.items():
        original = Path(original)
        assert read_grayscale(output).shape == read_grayscale(original).shape
        case = Path(output).name.removesuffix("_0000.png")
        label_name = original.name.replace("_0000.png", ".png")
        original_label = original.parent.parent / original.parent.name.replace("images", "labels") / label_name
        assert (dataset_dir / "labelsTr" / f"{case}.png").read_bytes() == original_label.read_bytes()

    assert metrics["translation.images"] == len(manifest.outputs)
    assert metrics["translation.tiles_per_second"] > 0
    assert metrics["translation.scored_images"] == len(manifest.outputs)
    assert np.isfinite(metrics["translation.psnr_db"]) and -1 <= metrics["translation.ssim"] <= 1
    figure = catalog["translation_figure"].load()
    assert isinstance(figure, Figure) and len(figure.axes) == 2 * 3


def test_adaptation_on_phantoms(checkpoints, phantom_root, tmp_path):
    source = phantom_root / "tem_bids"
    params = _params(source, "tem", "adaptation", tmp_path, phantom_root, scale=0.25)
    catalog, metrics = _run(checkpoints, params, tmp_path)

    manifest = catalog["translation_output"].load()
    assert manifest.mode == "adaptation" and manifest.target_contrast == "sem"
    written = sorted(p.name for p in (tmp_path / "adapted").glob("*.png"))
    sources = sorted((source).glob("sub-*/micr/*_TEM.png"))
    assert written == sorted(p.name for p in sources)
    for path in sources:
        assert read_grayscale(tmp_path / "adapted" / path.name).shape == read_grayscale(path).shape
    assert metrics["translation.scored_images"] == len(sources)

    with pytest.raises(Exception, match="not empty"):
        _run(checkpoints, params, tmp_path)


def test_kedro_run_translates_the_real_sem_samples(kedro_project, real_data_dir, checkpoints):
    """`kedro run --pipeline translation` through a KedroSession on the real SEM samples (adaptation)."""
    import shutil

    from kedro.framework.session import KedroSession

    shutil.copytree(checkpoints.root, kedro_project / "data" / "06_models" / "syndiff")
    (kedro_project / "conf" / "test" / "catalog_translation_checkpoints.yml").write_text(
        "syndiff_checkpoints:\n"
        "  type: axondeepsynth.datasets.checkpoint_directory_dataset.CheckpointDirectoryDataset\n"
        "  path: data/06_models/syndiff\n"
    )
    runtime = {
        "translation": {
            "experiment": "phantom_exp",
            "mode": "adaptation",
            "source": str(real_data_dir / "sem_bids"),
            "source_contrast": "sem",
            "scale_factor": 0.05,
            "overlap": 16,
            "device": "cpu",
            "cpu_threads": 1,
            "evaluation": {"paired_dir": None},
        }
    }
    with KedroSession.create(project_path=kedro_project, env="test", runtime_params=runtime) as session:
        session.run(pipeline_names=["translation"])

    output_dir = kedro_project / "data" / "07_model_output" / "translated" / "sem_to_tem"
    sources = sorted((real_data_dir / "sem_bids").glob("sub-*/micr/*_SEM.png"))
    assert sorted(p.name for p in output_dir.glob("*.png")) == sorted(p.name for p in sources)
    for path in sources:
        assert read_grayscale(output_dir / path.name).shape == read_grayscale(path).shape
    assert (kedro_project / "data" / "08_reporting" / "translation" / "before_after.png").is_file()
    assert (kedro_project / "data" / "08_reporting" / "translation" / "metrics.json").is_file()


def test_tiling_that_disagrees_with_the_model_or_tile_set_is_refused(checkpoints, phantom_root, tmp_path):
    source = next((phantom_root / "nnunet").glob("Dataset*_PHANTOM_SEM"))
    params = _params(_phantom_tile_set(source, tmp_path), "sem", "tutorship", tmp_path, phantom_root, scale=1.0)
    with pytest.raises(TranslationParameterError, match=r"translation\.tile_size \(128 px\) differs"):
        plan_translation(checkpoints, {**params, "tile_size": 128})
    with pytest.raises(TranslationParameterError, match=r"translation\.overlap \(64 px\)"):
        plan_translation(checkpoints, {**params, "source": str(source), "overlap": 64})
    with pytest.raises(TranslationParameterError, match="holds 'sem' images"):
        plan_translation(checkpoints, {**params, "source_contrast": "tem"})


def test_existing_dataset_id_is_refused_before_translating(checkpoints, phantom_root, tmp_path):
    taken = tmp_path / "nnunet" / "nnUNet_raw" / "Dataset042_MY_DATA"
    taken.mkdir(parents=True)
    source = phantom_root / "sem_bids"
    params = _params(source, "sem", "tutorship", tmp_path, phantom_root, scale=0.5)
    with pytest.raises(FileExistsError, match="dataset id 42 is already used"):
        plan_translation(checkpoints, params)
    assert [p.name for p in taken.parent.iterdir()] == ["Dataset042_MY_DATA"]

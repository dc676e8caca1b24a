"""``kedro run --pipeline data_engineering`` through a real KedroSession with ``conf/test``.

The run is the session's ``engineered_project`` (tests/conftest.py: small phantoms set in its
``conf/test``), which the reliability, segmentation and parallel-fold tests then copy. Checks what a
user sees after it: the phantom tree, the three SynDiff HDF5 splits with one group per modality,
the tiles to translate, the source and target nnU-Net exports, and one MLflow run named after the
pipeline with the flattened parameters and the image counts.
"""

from __future__ import annotations

import os

import h5py
import mlflow


def test_data_engineering_run_writes_outputs_and_one_mlflow_run(engineered_project):
    primary = engineered_project / "data" / "03_primary" / "syndiff"
    for split in ("train", "val", "test", "paired"):
        with h5py.File(primary / f"dataset_{split}.hdf5", "r") as h5:
            assert set(h5.keys()) == {"sem", "tem"}, split
            assert all(len(h5[m]) > 0 for m in ("sem", "tem")), split
            image = h5["sem"]["0"]
            assert image.dtype == "uint8" and image.ndim == 2
    tiles = engineered_project / "data" / "05_model_input" / "to_translate" / "source_tiles.hdf5"
    with h5py.File(tiles, "r") as h5:
        assert len(h5["sem"]["images"]) > 0
        assert len(h5["sem"]["labels"]) == len(h5["sem"]["images"])

    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    runs = mlflow.search_runs(experiment_names=["axondeepsynth-tests"], output_format="list",
                              filter_string=f"tags.project_path = '{engineered_project.as_posix()}' "
                                            "and tags.`axondeepsynth.pipeline` = 'data_engineering'")  # run_naming
    assert len(runs) == 1, "one MLflow run for the one data_engineering run in this project"
    run = runs[0]
    assert run.info.status == "FINISHED"
    assert run.info.run_name.startswith("data_engineering · sem (sem_bids) -> tem (tem_bids)")
    assert run.data.params["inputs.working_pixel_size_um"] == "0.1"
    assert run.data.params["phantoms.n_subjects"] == "3"
    assert run.data.metrics["data_engineering.images.train.sem"] > 0
    for export in ("Dataset501_SOURCE", "Dataset512_TARGET"):
        assert (engineered_project / "data" / "06_models" / "nnunet" / "nnUNet_raw" / export / "dataset.json").is_file()

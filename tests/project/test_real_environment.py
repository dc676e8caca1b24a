"""``conf/real``: the experiment on the real SEM/TEM samples from one inputs block plus preset sizes.

The fast test reads the environment as Kedro merges it; the slow one runs its data_engineering
pipeline through a KedroSession on the real samples (``real_data_dir``) and reads back what the
arms will train and be scored on.
"""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import pytest
import yaml
from kedro.config import OmegaConfigLoader
from kedro.framework.session import KedroSession

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.parameters.blocks import check_parameters
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.settings import CONFIG_LOADER_ARGS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REAL_ENV = PROJECT_ROOT / "conf" / "real"
TEM_PIXEL_UM = 0.00236


def _real_parameters() -> dict:
    settings = {**CONFIG_LOADER_ARGS, "default_run_env": "real"}
    return OmegaConfigLoader(str(PROJECT_ROOT / "conf"), **settings)["parameters"]


def test_the_real_env_names_only_inputs_and_sizes_and_validates():
    blocks = {path.name: set(yaml.safe_load(path.read_text())) for path in REAL_ENV.glob("*.yml")}
    assert blocks.pop("parameters_inputs.yml") == {"inputs"}
    assert "inputs" not in set().union(*blocks.values()) and not list(REAL_ENV.glob("catalog*")), \
        "locations stay in conf/base/catalog.yml"
    params = _real_parameters()
    check_parameters(params)
    inputs = InputsParams.model_validate(params["inputs"])
    assert not inputs.generate_phantoms and not inputs.target.transductive
    assert (inputs.target.regions.rows, inputs.target.regions.cols) == (1, 2)
    assert inputs.source.scale == "auto" and inputs.target.scale != "auto", "one working pixel size per modality"
    assert params["nnunet_export"]["target_pixel_size_um"] == inputs.working_pixel_size_um, \
        "the no-adaptation model trains at the source's working pixel size"


@pytest.mark.slow
def test_real_data_engineering_holds_one_tem_half_out_at_the_working_pixel_size(kedro_project, real_data_dir):
    (kedro_project.parent / "shared" / "data").mkdir(parents=True)
    (kedro_project.parent / "shared" / "data" / "real").symlink_to(real_data_dir)  # ../shared/data/real
    with KedroSession.create(project_path=kedro_project, env="real") as session:
        session.run(pipeline_names=["data_engineering"])
    inputs = InputsParams.model_validate(_real_parameters()["inputs"])
    working_um = TEM_PIXEL_UM / inputs.target.scale

    target = kedro_project / "data" / "06_models" / "nnunet" / "nnUNet_raw" / "Dataset512_TARGET"
    cases = json.loads((target / "dataset.json").read_text())["axondeepsynth"]["cases"]
    split = {case["subject"]: case["split"] for case in cases.values()}
    assert sorted(split) == ["sub-mouse1r0c0", "sub-mouse1r0c1"] and sorted(split.values()) == ["test", "train"]
    (scored,) = [subject for subject, s in split.items() if s == "test"]
    assert all(case["pixel_size_um"] == pytest.approx(working_um) for case in cases.values())
    (test_image,) = (target / "imagesTs").glob("*.png")
    assert read_grayscale(test_image).shape == (100, 100), "999x1000 px half at scale 0.1"

    for name in ("train", "val", "test"):
        with h5py.File(kedro_project / "data" / "03_primary" / "syndiff" / f"dataset_{name}.hdf5", "r") as h5:
            subjects = {h5["tem"][key].attrs["subject"] for key in h5["tem"]}
            assert scored not in subjects and subjects, name
            assert [h5["tem"][key].attrs["pixel_size_um"] for key in h5["tem"]] == pytest.approx(
                [working_um] * len(h5["tem"]))
    source = kedro_project / "data" / "06_models" / "nnunet" / "nnUNet_raw" / "Dataset501_SOURCE" / "dataset.json"
    assert json.loads(source.read_text())["axondeepsynth"]["pixel_size_um"] == pytest.approx(0.15)
    regions = kedro_project / "data" / "02_intermediate" / "target_regions"
    assert len(list(regions.glob("sub-*/micr/*.tif"))) == 2

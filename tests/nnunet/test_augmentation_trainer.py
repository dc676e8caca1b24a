"""The augmentation baseline's trainer: nnU-Net finds it by name, it trains with DA5's augmentation on
the demo schedule (a few CPU iterations on the phantom SEM dataset), and its model predicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.nnunet.environment import activate_nnunet_environment
from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.prediction import PredictionSettings, load_predictor, segment_image
from axondeepsynth.nnunet.training import TrainingSettings, train_fold

TRAINER = "nnUNetTrainerAxonDemoDA5"


@pytest.fixture(scope="module")
def phantom_base(phantom_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("nnunet_da5")
    activate_nnunet_environment(base, num_processes=1)
    shutil.copytree(phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM", base / "nnUNet_raw" / "Dataset501_PHANTOM_SEM")
    return base


def test_nnunet_finds_the_trainer_and_it_augments_like_da5(phantom_base: Path) -> None:
    from nnunetv2.training.nnUNetTrainer.variants.data_augmentation.nnUNetTrainerDA5 import nnUNetTrainerDA5
    from nnunetv2.utilities.find_class_by_name import recursive_find_python_class

    from axondeepsynth.nnunet.environment import TRAINERS_DIR
    from axondeepsynth.nnunet.trainers.axon_demo_trainer import nnUNetTrainerAxonDemo

    found = recursive_find_python_class(str(TRAINERS_DIR), TRAINER, "axondeepsynth.nnunet.trainers")
    assert found is not None and issubclass(found, nnUNetTrainerDA5) and issubclass(found, nnUNetTrainerAxonDemo)
    assert found.get_training_transforms is nnUNetTrainerDA5.get_training_transforms
    assert (found.configure_rotation_dummyDA_mirroring_and_inital_patch_size
            is nnUNetTrainerDA5.configure_rotation_dummyDA_mirroring_and_inital_patch_size)


def test_trains_a_few_iterations_on_phantoms_and_predicts(phantom_base: Path, phantom_root: Path) -> None:
    plan = plan_and_preprocess(phantom_base, 501, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    settings = TrainingSettings(trainer=TRAINER, num_epochs=1, iterations_per_epoch=2, val_iterations_per_epoch=1,
                                save_every=100, augmentation_processes=0, device="cpu", validate=False)
    result = train_fold(phantom_base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                        settings, num_processes=1)
    assert result["trainer"] == TRAINER and Path(result["model_dir"]).name.startswith(f"{TRAINER}__")
    assert "checkpoint_final.pth" in result["checkpoints"]
    assert len(result["history"]["train_losses"]) == 1 and np.isfinite(result["history"]["train_losses"]).all()

    predictor = load_predictor(result["model_dir"], ["all"], PredictionSettings(device="cpu", use_mirroring=False))
    image = read_grayscale(sorted((phantom_root / "nnunet" / "Dataset501_PHANTOM_SEM" / "imagesTs").glob("*.png"))[0])
    labels = segment_image(predictor, image)
    assert labels.shape == image.shape and set(np.unique(labels)) <= {0, 1, 2}

"""An nnU-Net experiment planner for a narrower 2-D U-Net that trains in seconds on a CPU.

nnU-Net's default planner gives the 2-D U-Net 32 to 512 feature maps per stage: about 30 M
parameters and 250 MB per checkpoint, written up to twice per epoch. This planner keeps
everything else of ``ExperimentPlanner`` (patch, batch, topology rules) and only narrows the
network to 16 to 128 feature maps. The topology is stored in the plans, so training and
prediction rebuild the same network with nnU-Net's own code. Its plans are named
``nnUNetPlansAxonCPU`` so they never replace nnU-Net's default plans.
"""

from __future__ import annotations

from nnunetv2.experiment_planning.experiment_planners.default_experiment_planner import ExperimentPlanner


class nnUNetPlannerAxonCPU(ExperimentPlanner):  # noqa: N801 - nnU-Net's planner naming convention
    """``ExperimentPlanner`` with 16-128 feature maps per stage (demos and tests on a CPU)."""

    BASE_FEATURES = 16
    MAX_FEATURES_2D = 128

    def __init__(self, dataset_name_or_id: str | int, gpu_memory_target_in_gb: float = 8,
                 preprocessor_name: str = "DefaultPreprocessor", plans_name: str = "nnUNetPlansAxonCPU",
                 overwrite_target_spacing=None, suppress_transpose: bool = False):
        super().__init__(dataset_name_or_id, gpu_memory_target_in_gb, preprocessor_name, plans_name,
                         overwrite_target_spacing, suppress_transpose)
        self.UNet_base_num_features = self.BASE_FEATURES
        self.UNet_max_features_2d = self.MAX_FEATURES_2D

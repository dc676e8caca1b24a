"""Kedro project settings.

kedro-mlflow registers its hooks through its entry point, so every ``kedro run`` is an MLflow
run without anything declared here.
"""

from kedro.config import OmegaConfigLoader
from omegaconf import OmegaConf

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "config_patterns": {
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
    },
    # An environment (conf/test, conf/real, conf/local) overrides single keys deep inside a
    # block instead of replacing the whole top-level block.
    "merge_strategy": {"parameters": "soft", "mlflow": "soft"},
    # ${merge:${translation},${experiment.overrides.x}}: a pipeline's defaults with an arm's
    # changes, so the experiment's arms never copy the pipelines' parameter blocks.
    "custom_resolvers": {"merge": lambda *configs: OmegaConf.merge(*configs)},
}

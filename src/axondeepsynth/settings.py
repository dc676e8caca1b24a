"""Kedro project settings.

kedro-mlflow registers its hooks through its entry point, so every ``kedro run`` is an MLflow
run without anything declared here.
"""

from axondeepsynth.config_loader import LateResolvingConfigLoader, merge_configs

CONFIG_LOADER_CLASS = LateResolvingConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "config_patterns": {
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
    },
    # An environment (conf/test, conf/real, conf/local) overrides single keys deep inside a
    # block instead of replacing the whole top-level block.
    "merge_strategy": {"parameters": "soft", "mlflow": "soft"},
    # '\${merge:\${translation},\${experiment.overrides.x}}': a pipeline's parameters (after
    # conf/<env> and --params) with an arm's changes; the experiment's arms copy no parameter block.
    "custom_resolvers": {"merge": merge_configs},
}

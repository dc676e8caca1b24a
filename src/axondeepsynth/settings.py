"""Kedro project settings.

kedro-mlflow registers its hooks through its entry point, so every ``kedro run`` is an MLflow
run without anything declared here. The project's own hook checks every parameter block first.
"""

from kedro.config import OmegaConfigLoader

from axondeepsynth.hooks import ParameterHooks
from axondeepsynth.mlflow_run_status import MlflowRunStatusHooks
from axondeepsynth.run_naming import RunNamingHook
from axondeepsynth.run_safety_hooks import RunSafetyHooks

# pluggy calls the last registered hook first: ParameterHooks checks every block before any other
# hook reads context.params (which would run Kedro's validation, with pydantic's terser message).
HOOKS = (RunNamingHook(), RunSafetyHooks(), MlflowRunStatusHooks(), ParameterHooks())

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # An environment (conf/test, conf/real, conf/local) overrides single keys deep inside a
    # block instead of replacing the whole top-level block.
    "merge_strategy": {"parameters": "soft", "mlflow": "soft"},
}

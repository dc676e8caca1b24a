"""Project hooks: parameters are checked before anything runs, and recorded in the MLflow run.

``after_context_created`` runs before Kedro builds the catalog (and its own typed-parameter
validation), so a run with a bad parameter stops with the project's message
(:func:`~axondeepsynth.parameters.blocks.check_parameters`) and nothing written; this module imports
no torch or MLflow at import time, so that check comes within seconds.
"""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.context import KedroContext
from kedro.framework.hooks import hook_impl

from axondeepsynth.parameters.blocks import check_parameters

logger = logging.getLogger(__name__)


class ParameterHooks:
    """Validates every parameter block of the merged configuration (base, env, ``--params``), and
    logs them flattened (``block.key.sub``) to the run's MLflow run.

    kedro-mlflow logs each node's ``params:`` inputs too, but flattens only dicts; a block Kedro has
    turned into its model would be one truncated string, hence the flattened copy here.
    """

    def __init__(self) -> None:
        self._params: dict[str, Any] = {}

    @hook_impl
    def after_context_created(self, context: KedroContext) -> None:
        self._params = context.config_loader["parameters"]
        check_parameters(self._params)
        logger.info("Parameters checked: every block is valid.")

    @hook_impl
    def before_pipeline_run(self) -> None:
        import mlflow
        import pandas as pd

        if mlflow.active_run() is None or not self._params:
            return
        flat = pd.json_normalize(self._params, sep=".").iloc[0].to_dict()
        mlflow.log_params({name: str(value)[:250] for name, value in flat.items()})

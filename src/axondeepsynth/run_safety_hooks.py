"""Kedro hook: before the first node (and before kedro-mlflow opens a run), refuse a run that
reads what does not exist yet or whose outputs would destroy its inputs, and clear the
leftovers of killed runs beside its outputs.

See :mod:`axondeepsynth.run_locations` for what is refused and
:mod:`axondeepsynth.stale_temporaries` for what is removed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from kedro.framework.context import KedroContext
from kedro.framework.hooks import hook_impl
from kedro.io import DataCatalog
from kedro.pipeline import Pipeline

from axondeepsynth.run_locations import refuse_missing_inputs, refuse_unsafe_run, run_locations
from axondeepsynth.stale_temporaries import remove_stale_temporaries

logger = logging.getLogger(__name__)


class RunSafetyHooks:
    """Missing-input and output-versus-input checks, and stale-temporary cleanup, at the start of every run."""

    def __init__(self) -> None:
        self._params: dict[str, Any] = {}

    @hook_impl
    def after_context_created(self, context: KedroContext) -> None:
        # the merged configuration, not context.params: that one runs Kedro's model validation
        self._params = dict(context.config_loader["parameters"])

    @hook_impl(tryfirst=True)
    def before_pipeline_run(self, pipeline: Pipeline, catalog: DataCatalog) -> None:
        started = time.time()
        locations = run_locations(pipeline, catalog, self._params)
        folders = {output.resolved.parent for output in locations.outputs}
        folders |= {output.resolved for output in locations.outputs if output.resolved.is_dir()}
        remove_stale_temporaries(folders, started)  # garbage of killed runs, whatever this run does next
        refuse_unsafe_run(locations)
        refuse_missing_inputs(pipeline, catalog)
        logger.info("Checked %d output location(s): none overlaps an input.", len(locations.outputs))

"""Name each ``kedro run``'s MLflow run for what it did, so ``mlflow ui`` tells runs apart.

kedro-mlflow names a run after its pipeline (``__default__`` for a plain ``kedro run``) unless
``mlflow.yml`` fixes one static ``tracking.run.name``, which cannot know the pipeline or the data.
:class:`RunNamingHook` renames the run once kedro-mlflow has opened it, e.g.::

    experiment · sem (sem_bids) -> tem (tem_bids) · phantoms · syndiff tiny seed 42
    segmentation · sem (sem_bids) · env real · --params segmentation.training.num_epochs=50

and records the pieces as tags (``axondeepsynth.pipeline``, ``axondeepsynth.source``, ...).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import mlflow
from kedro.framework.hooks import hook_impl

logger = logging.getLogger(__name__)

DEFAULT_PIPELINE = "experiment"
"""What ``__default__`` runs (pipeline_registry: the experiment)."""
MAX_RUN_NAME = 250


def _plain(block: Any) -> Mapping[str, Any]:
    """A parameter block as a mapping, whether Kedro hands over the YAML dict or its typed model."""
    if hasattr(block, "model_dump"):
        return block.model_dump()
    return block if isinstance(block, Mapping) else {}


def _modality(side: Mapping[str, Any] | None) -> str | None:
    """``tem (tem_bids)``: the modality and the folder it comes from."""
    if not side or not side.get("modality"):
        return None
    path = side.get("path")
    return f"{side['modality']} ({PurePath(str(path)).name})" if path else str(side["modality"])


def _overrides(extra_params: Mapping[str, Any] | None, prefix: str = "") -> list[str]:
    """``--params`` as ``a.b=value`` strings (nested dicts flattened)."""
    items: list[str] = []
    for key, value in (extra_params or {}).items():
        if isinstance(value, Mapping):
            items.extend(_overrides(value, f"{prefix}{key}."))
        else:
            items.append(f"{prefix}{key}={value}")
    return items


def describe_run(pipeline_names: Sequence[str], params: Mapping[str, Any], env: str | None,
                 extra_params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The pieces of a run's name: pipeline, source and target inputs, SynDiff preset and seed,
    configuration environment and ``--params`` overrides; absent pieces are left out."""
    inputs = _plain(params.get("inputs"))
    pieces = {"pipeline": "+".join(DEFAULT_PIPELINE if name == "__default__" else name for name in pipeline_names)}
    source, target = _modality(inputs.get("source")), _modality(inputs.get("target"))
    if source and target and pieces["pipeline"] != "segmentation":
        pieces["inputs"] = f"{source} -> {target}"
    elif source:
        pieces["inputs"] = source
    if inputs.get("generate_phantoms"):
        pieces["data"] = "phantoms"
    syndiff = _plain(params.get("syndiff_training"))
    if syndiff.get("preset") and pieces["pipeline"] in (DEFAULT_PIPELINE, "syndiff_training"):
        pieces["syndiff"] = f"syndiff {syndiff['preset']} seed {syndiff.get('seed')}"
    if env and env not in ("local", "base"):
        pieces["env"] = f"env {env}"
    overrides = _overrides(extra_params)
    if overrides:
        pieces["params"] = "--params " + ",".join(overrides)
    return pieces


def run_name(pieces: Mapping[str, str]) -> str:
    """``pipeline · inputs · ...`` cut to MLflow's 250 characters."""
    name = " · ".join(pieces.values())
    return name if len(name) <= MAX_RUN_NAME else name[: MAX_RUN_NAME - 1] + "…"


class RunNamingHook:
    """Renames the MLflow run kedro-mlflow opened (runs after its ``before_pipeline_run``)."""

    @hook_impl(trylast=True)
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline: Any, catalog: Any) -> None:
        run = mlflow.active_run()
        if run is None:
            return
        names = run_params.get("pipeline_names") or [run_params.get("pipeline_name") or "__default__"]
        names = [names] if isinstance(names, str) else list(names)
        params = catalog.load("parameters") if "parameters" in catalog else {}
        overrides = run_params.get("runtime_params") or run_params.get("extra_params")  # kedro 1.x / 0.19
        pieces = describe_run(names, params, run_params.get("env"), overrides)
        name = run_name(pieces)
        mlflow.MlflowClient().update_run(run.info.run_id, name=name)
        mlflow.set_tags({f"axondeepsynth.{key}": value for key, value in pieces.items()})
        logger.info("MLflow run %s named %r.", run.info.run_id, name)

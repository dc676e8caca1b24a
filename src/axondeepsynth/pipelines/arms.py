"""An experiment arm is a pipeline under the arm's namespace that reads the shared parameter blocks.

Namespacing prefixes a pipeline's datasets (``segmentation_masks`` -> ``tutorship.segmentation_masks``,
served by the catalog's ``"{arm}.segmentation_masks"`` factory) and, unless mapped, its parameters;
mapping every ``params:`` input onto itself keeps one block per pipeline for every arm.
"""

from __future__ import annotations

from collections.abc import Mapping

from kedro.pipeline import Pipeline, pipeline


def as_arm(pipe: Pipeline, arm: str, inputs: Mapping[str, str] | None = None) -> Pipeline:
    """``pipe`` under namespace ``arm``; ``inputs`` maps its free inputs onto shared entries."""
    shared_params = {name: name for name in pipe.inputs() if name.startswith("params:")}
    return pipeline(pipe, namespace=arm, inputs=dict(inputs or {}), parameters=shared_params)

"""Make a node wait for catalog entries it does not read.

Kedro orders nodes by data alone. When pipelines are composed (the ``experiment``), a node often
depends on files another pipeline wrote at a place given by *parameters* (an nnU-Net dataset id,
a checkpoint folder), which carries no ordering. ``run_after`` rebuilds such a node with extra
inputs that its function never sees, so the composed run is correct without the composed
pipelines knowing about each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import update_wrapper
from typing import Any

from kedro.pipeline import Node, Pipeline


class _IgnoringTrailingInputs:
    """Calls ``func`` with the first ``n_used`` positional inputs and drops the rest."""

    def __init__(self, func: Callable[..., Any], n_used: int) -> None:
        self.func = func
        self.n_used = n_used
        update_wrapper(self, func)

    def __call__(self, *args: Any) -> Any:
        return self.func(*args[: self.n_used])


def run_after(pipe: Pipeline, node_name: str, predecessors: Sequence[str]) -> Pipeline:
    """``pipe`` with node ``node_name`` also waiting for the catalog entries ``predecessors``.

    Raises:
        ValueError: no node of that name, or its inputs are given as a dict (not supported).
    """
    matches = [n for n in pipe.nodes if n.name == node_name]
    if not matches:
        raise ValueError(f"run_after: no node named '{node_name}' in {sorted(n.name for n in pipe.nodes)}.")
    node = matches[0]
    if isinstance(node._inputs, dict):  # noqa: SLF001 - Kedro exposes no public form of the declared inputs
        raise ValueError(f"run_after: node '{node_name}' declares its inputs as a dict; give them as a list.")
    inputs = list(node.inputs)
    waiting = Node(
        _IgnoringTrailingInputs(node.func, len(inputs)),
        inputs=[*inputs, *(p for p in predecessors if p not in inputs)],
        outputs=node._outputs,  # noqa: SLF001 - keep the original form (str, list or dict)
        name=node._name,  # noqa: SLF001 - the name without its namespace, which is passed on below
        tags=node.tags,
        confirms=node.confirms,
        namespace=node.namespace,
    )
    return Pipeline([n for n in pipe.nodes if n.name != node_name] + [waiting])

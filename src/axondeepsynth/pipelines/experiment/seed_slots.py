"""Turn a pipeline's nodes into one replicate seed slot's nodes, which skip when the slot is unused.

Each node of the slot gets ``params:experiment`` as an extra input. When ``experiment.seeds``
leaves the slot out, or an input is already a
:class:`~axondeepsynth.artifacts.skipped_seed_slot.SkippedSeedSlot`, the node returns that marker
for every output without running its function (nothing is trained, translated or loaded into
nnU-Net); otherwise it runs the original node unchanged. The wrapped functions are picklable, so
a slot's nodes run under ``--runner ParallelRunner`` like any other.
"""

from __future__ import annotations

from typing import Any

from kedro.pipeline import Node, Pipeline

from axondeepsynth.artifacts.skipped_seed_slot import SkippedSeedSlot
from axondeepsynth.parameters.experiment import ExperimentParams

EXPERIMENT_PARAMS = "params:experiment"


class SlotNodeFunction:
    """Runs ``node`` when replicate slot ``slot`` is in use; else passes the slot's skip marker on.

    Called with the node's inputs in ``node.inputs`` order, then the ``experiment`` block; returns
    a dict of the node's outputs by dataset name (the new node's outputs map each onto itself).
    """

    def __init__(self, node: Node, slot: int) -> None:
        self._node = node
        self._slot = slot
        self.__name__ = node.func.__name__  # how Kedro and kedro-viz name the function
        self.__doc__ = node.func.__doc__
        self.__annotations__: dict[str, Any] = {}  # no typed params: inputs (they come validated)

    def __call__(self, *values: Any) -> dict[str, Any]:
        *inputs, experiment_values = values
        experiment = ExperimentParams.model_validate(experiment_values)
        skipped = next((value for value in inputs if isinstance(value, SkippedSeedSlot)), None)
        if skipped is None and not experiment.runs_slot(self._slot):
            skipped = SkippedSeedSlot(self._slot, experiment.seeds)
        if skipped is not None:
            return {output: skipped for output in self._node.outputs}
        return self._node.run(dict(zip(self._node.inputs, inputs, strict=True)))


def in_seed_slot(pipe: Pipeline, slot: int) -> Pipeline:
    """Every node of ``pipe`` (already under its slot's namespace) made to skip when ``slot`` is unused."""
    return Pipeline([
        Node(SlotNodeFunction(node, slot), [*node.inputs, EXPERIMENT_PARAMS],
             {output: output for output in node.outputs}, name=node.name.removeprefix(f"{node.namespace}."),
             namespace=node.namespace, tags=node.tags)
        for node in pipe.nodes
    ])

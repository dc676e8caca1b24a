"""Every top-level parameter block and its model; :func:`check_parameters` validates them all.

The project's hook calls it on the merged parameters (``conf/base`` + ``conf/<env>`` + ``--params``)
before any node runs, so a misspelt block (``data_enginering``) or key (``translation.batchsize``)
stops every run, whichever pipeline it selects. Add range or cross-block checks here or as
validators of the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from axondeepsynth.parameters.baselines import BaselinesParams
from axondeepsynth.parameters.data_engineering import DataEngineeringParams
from axondeepsynth.parameters.errors import ParameterError
from axondeepsynth.parameters.experiment import ExperimentParams
from axondeepsynth.parameters.faithfulness import FaithfulnessParams
from axondeepsynth.parameters.inputs import InputsParams
from axondeepsynth.parameters.nnunet_export import NnUNetExportParams
from axondeepsynth.parameters.phantoms import PhantomParams
from axondeepsynth.parameters.segmentation import SegmentationParams
from axondeepsynth.parameters.strict_model import unknown_key_message
from axondeepsynth.parameters.syndiff_training import SynDiffTrainingParams
from axondeepsynth.parameters.translation import TranslationParams
from axondeepsynth.parameters.translation_checks import TranslationChecksParams

PARAMETER_BLOCKS: dict[str, type[BaseModel]] = {
    "inputs": InputsParams,
    "phantoms": PhantomParams,
    "data_engineering": DataEngineeringParams,
    "nnunet_export": NnUNetExportParams,
    "syndiff_training": SynDiffTrainingParams,
    "translation": TranslationParams,
    "segmentation": SegmentationParams,
    "faithfulness": FaithfulnessParams,
    "baselines": BaselinesParams,
    "translation_checks": TranslationChecksParams,
    "experiment": ExperimentParams,
}


def _describe(block: str, error: ValidationError) -> list[str]:
    """One line per problem: ``block.key.sub: message``."""
    lines = []
    for problem in error.errors():
        where = ".".join([block, *(str(part) for part in problem["loc"])])
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return lines


def parse_block(block: str, values: Any) -> BaseModel:
    """``values`` validated as parameter block ``block``.

    Raises:
        ParameterError: naming every bad key as ``block.key`` with the fix.
    """
    try:
        return PARAMETER_BLOCKS[block].model_validate(values)
    except ValidationError as error:
        raise ParameterError("Invalid parameters:\n- " + "\n- ".join(_describe(block, error))) from None


def check_parameters(params: Mapping[str, Any]) -> None:
    """Validate every block of ``params``; a block or key that no model knows is an error.

    Raises:
        ParameterError: every problem found, each naming its key, the valid keys and a close match.
    """
    problems = []
    unknown = set(params) - set(PARAMETER_BLOCKS)
    if unknown:
        problems.append(f"top level: {unknown_key_message(unknown, PARAMETER_BLOCKS)}")
    missing = sorted(set(PARAMETER_BLOCKS) - set(params))
    if missing:
        problems.append(f"top level: missing block(s) {missing} (conf/base/parameters_<block>.yml)")
    for block in sorted(set(params) & set(PARAMETER_BLOCKS)):
        try:
            PARAMETER_BLOCKS[block].model_validate(params[block])
        except ValidationError as error:
            problems.extend(_describe(block, error))
    if problems:
        raise ParameterError("Invalid parameters:\n- " + "\n- ".join(problems))

"""Base of every parameter model: unknown keys are refused with the valid ones and a close match.

pydantic's own ``extra="forbid"`` message ("Extra inputs are not permitted") names the key but
neither the valid keys nor the one the user probably meant; a typo such as ``batchsize`` should
say ``did you mean 'batch_size'?``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def unknown_key_message(unknown: Iterable[str], valid: Iterable[str]) -> str:
    """``unknown key 'x' (did you mean 'y'?); valid keys: a, b, c`` for each unknown key."""
    valid = sorted(valid)
    parts = []
    for key in sorted(unknown):
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        parts.append(f"unknown key '{key}'{hint}")
    return f"{'; '.join(parts)}; valid keys: {', '.join(valid)}"


class StrictModel(BaseModel):
    """A frozen parameter block whose keys must all be known (and all be given: no defaults)."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    @classmethod
    def valid_keys(cls) -> set[str]:
        """Every key this block accepts (field names, or their aliases where set)."""
        return {field.alias or name for name, field in cls.model_fields.items()}

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = set(map(str, data)) - cls.valid_keys()
            if unknown:
                raise ValueError(unknown_key_message(unknown, cls.valid_keys()))
        return data

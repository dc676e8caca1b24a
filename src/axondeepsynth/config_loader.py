"""The project's configuration loader: parameters may refer to each other *after* environments merge.

Kedro resolves ``${...}`` inside each environment (``conf/base``, ``conf/<env>``) before merging
them, so a block built from another (an experiment arm made of ``${translation}`` plus overrides)
would miss what ``conf/full`` or ``--params`` change in ``translation``. An escaped interpolation
(``'\\${merge:\\${translation},...}'``) survives the first resolution as text; this loader resolves
it once more on the merged parameters.
"""

from __future__ import annotations

from typing import Any

from kedro.config import OmegaConfigLoader
from omegaconf import OmegaConf


def merge_configs(*configs: Any) -> Any:
    """``${merge:a,b}``: ``a`` deep-merged with ``b`` (``b`` wins)."""
    return OmegaConf.merge(*configs)


class LateResolvingConfigLoader(OmegaConfigLoader):
    """:class:`OmegaConfigLoader` that resolves escaped parameter interpolations after the merge."""

    def __getitem__(self, key: str) -> Any:
        config = super().__getitem__(key)
        if key != "parameters":
            return config
        return OmegaConf.to_container(OmegaConf.create(config), resolve=True)

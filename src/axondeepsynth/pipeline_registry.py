"""Every runnable pipeline lives in its own module under ``pipelines/``."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines; ``experiment`` is the default when it exists."""
    pipelines = find_pipelines(raise_errors=True)
    default = pipelines.get("experiment") or pipelines.get("data_engineering")
    pipelines["__default__"] = default if default is not None else Pipeline([])
    return pipelines

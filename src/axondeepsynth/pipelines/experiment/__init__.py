"""The experiment: every arm of "how much does SynDiff translation help?" in one run."""

from axondeepsynth.pipelines.experiment.pipeline import create_pipeline

__all__ = ["create_pipeline"]

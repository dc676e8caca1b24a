"""baselines: histogram matching, heavy augmentation and SynDiff's non-diffusive generators, scored
like the SynDiff arms on the same held-out target images."""

from axondeepsynth.pipelines.baselines.pipeline import create_pipeline

__all__ = ["create_pipeline"]

"""syndiff_training: train SynDiff between two modalities from the data_engineering HDF5 sets."""

from axondeepsynth.pipelines.syndiff_training.pipeline import create_pipeline

__all__ = ["create_pipeline"]

"""data_engineering: phantoms, then SynDiff train/val/test(/paired) HDF5 sets and tiles to translate."""

from axondeepsynth.pipelines.data_engineering.pipeline import create_pipeline

__all__ = ["create_pipeline"]

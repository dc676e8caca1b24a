"""translation: a trained SynDiff turns a labelled dataset into a tutorship nnU-Net dataset, or new
images into an adaptation folder, tile by tile with seamless stitching at the original size."""

from axondeepsynth.pipelines.translation.pipeline import create_pipeline

__all__ = ["create_pipeline"]

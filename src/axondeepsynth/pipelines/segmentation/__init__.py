"""nnU-Net v2 segmentation: plan, train each fold, predict, evaluate (``kedro run --pipeline segmentation``)."""

from axondeepsynth.pipelines.segmentation.pipeline import create_pipeline

__all__ = ["create_pipeline"]

"""faithfulness: segment translated images with an oracle model of the target modality and check
that the labels they carry still describe them (fibres invented, lost, reshaped)."""

from axondeepsynth.pipelines.faithfulness.pipeline import create_pipeline

__all__ = ["create_pipeline"]

"""translation_checks: how far a translation can be trusted without an oracle (trust maps of the
noise draws and the round trip, KID to real images)."""

from axondeepsynth.pipelines.translation_checks.pipeline import create_pipeline

__all__ = ["create_pipeline"]

"""AxonDeepSynth: SynDiff translation between microscopy modalities and nnU-Net segmentation through it."""

__version__ = "0.1.0"

"""Choose the torch device nnU-Net trains and predicts on."""

from __future__ import annotations

import logging

import torch

logger = logging.getLogger(__name__)

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def resolve_device(name: str) -> torch.device:
    """``auto`` gives CUDA when available, else the CPU; ``cuda`` without a GPU is an error."""
    if name not in DEVICE_CHOICES:
        raise ValueError(f"device must be one of {DEVICE_CHOICES}, got '{name}'; change segmentation.training.device.")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' was requested but no CUDA GPU is visible; use device: auto or cpu.")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
        logger.info("device auto -> %s", name)
    return torch.device(name)

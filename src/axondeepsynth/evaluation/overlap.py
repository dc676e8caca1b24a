"""Pixel overlap per class (Dice, IoU) between a reference and a predicted label map.

The counts come from nnU-Net's own ``compute_tp_fp_fn_tn``, so the numbers agree with nnU-Net's
validation summaries. nnunetv2 is imported inside the function: importing it fixes some of its
settings from the environment (see :mod:`axondeepsynth.nnunet.environment`).
"""

from __future__ import annotations

import numpy as np

from axondeepsynth.imaging.label_values import AXON, MYELIN

CLASS_LABELS = {"myelin": MYELIN, "axon": AXON}


def overlap_metrics(reference: np.ndarray, prediction: np.ndarray,
                    classes: dict[str, int] | None = None) -> dict[str, float]:
    """Dice and IoU of each class.

    Args:
        reference, prediction: 2-D label maps of the same shape (0 background, 1 myelin, 2 axon).
        classes: class name -> label value; defaults to myelin 1 and axon 2.

    Returns:
        ``{"dice_<class>": ..., "iou_<class>": ...}``; NaN for a class absent from both maps.
    """
    from nnunetv2.evaluation.evaluate_predictions import compute_tp_fp_fn_tn

    if reference.shape != prediction.shape:
        raise ValueError(f"reference shape {reference.shape} differs from prediction shape {prediction.shape}.")
    metrics: dict[str, float] = {}
    for name, value in (classes or CLASS_LABELS).items():
        tp, fp, fn, _ = compute_tp_fp_fn_tn(reference == value, prediction == value)
        union = tp + fp + fn
        metrics[f"dice_{name}"] = float(2 * tp / (2 * tp + fp + fn)) if union else float("nan")
        metrics[f"iou_{name}"] = float(tp / union) if union else float("nan")
    return metrics

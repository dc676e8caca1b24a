"""The experiment's answer in one table: one row per arm, the same held-out target images.

Each arm's per-image metrics come from the segmentation pipeline's evaluation
(:func:`axondeepsynth.evaluation.morphometric_comparison.compare_segmentations`); here they are
averaged per arm and set side by side with what translation cost and how faithful it was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

ARM_ORDER: tuple[str, ...] = ("no_adaptation", "histogram_matching", "augmentation", "non_diffusive_adaptation",
                              "non_diffusive_tutorship", "adaptation", "tutorship", "oracle")
"""Rows of the report: the lower bound, the cheap baselines, SynDiff's arms, the upper bound."""

ARM_DESCRIPTIONS: dict[str, str] = {
    "no_adaptation": "source-trained nnU-Net on raw target images (baseline)",
    "histogram_matching": "target images matched to the source intensity histogram, source-trained nnU-Net",
    "augmentation": "nnU-Net trained on the source labels with heavy augmentation (DA5), raw target images",
    "non_diffusive_adaptation": "adaptation with SynDiff's one-pass ResNet generator",
    "non_diffusive_tutorship": "tutorship with SynDiff's one-pass ResNet generator",
    "adaptation": "target images translated to the source modality, source-trained nnU-Net",
    "tutorship": "nnU-Net trained on source images translated to the target modality",
    "oracle": "nnU-Net trained on real target labels (upper bound)",
}

TRANSLATION_KEYS: tuple[str, ...] = ("tiles_per_second", "psnr_db", "ssim")
"""Of the translation pipeline's metrics: throughput, and quality against paired renderings."""

FAITHFULNESS_KEYS: tuple[str, ...] = (
    "mean_dice_myelin", "mean_dice_axon", "mean_axon_precision", "mean_axon_recall",
    "total_fibres_invented", "total_fibres_lost", "unfaithful_images",
)
"""Of the faithfulness summary: agreement of an oracle with the labels a translation carries."""

SEGMENTATION_COLUMNS: tuple[str, ...] = (
    "dice_myelin", "dice_axon", "iou_myelin", "iou_axon",
    "axon_sensitivity", "axon_precision", "g_ratio_mae", "aggregate_g_ratio_error",
)


def _mean(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].mean()) if column in frame and frame[column].notna().any() else math.nan


def arm_row(arm: str, metrics: pd.DataFrame) -> dict[str, Any]:
    """Means over the images of one arm; ``dice_foreground`` is the mean of myelin and axon Dice."""
    row: dict[str, Any] = {"arm": arm, "description": ARM_DESCRIPTIONS.get(arm, ""), "images": len(metrics)}
    row.update({column: _mean(metrics, column) for column in SEGMENTATION_COLUMNS})
    row["aggregate_g_ratio_error"] = _mean(metrics.assign(
        aggregate_g_ratio_error=metrics.get("aggregate_g_ratio_error", pd.Series(dtype=float)).abs()),
        "aggregate_g_ratio_error")
    row["dice_foreground"] = (row["dice_myelin"] + row["dice_axon"]) / 2
    return row


def build_report_table(arm_metrics: Mapping[str, pd.DataFrame],
                       translation_metrics: Mapping[str, Mapping[str, float]],
                       faithfulness: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """One row per arm (in :data:`ARM_ORDER`), with the gap to the oracle when it ran.

    Args:
        arm_metrics: per-image metric tables of each arm that ran.
        translation_metrics: per translating arm, the translation pipeline's metrics
            (``tiles_per_second``, and ``psnr``/``ssim`` against paired renderings on phantoms).
        faithfulness: per translating arm, the faithfulness summary (oracle vs carried labels).
    """
    rows = [arm_row(arm, arm_metrics[arm]) for arm in ARM_ORDER if arm in arm_metrics]
    table = pd.DataFrame(rows).set_index("arm")
    if "oracle" in table.index:
        table["gap_to_oracle"] = table.loc["oracle", "dice_foreground"] - table["dice_foreground"]
    for prefix, keys, by_arm in (("translation", TRANSLATION_KEYS, translation_metrics),
                                 ("faithfulness", FAITHFULNESS_KEYS, faithfulness)):
        for arm, values in by_arm.items():
            short = {key.rsplit(".", 1)[-1]: value for key, value in values.items()}
            for key in keys:
                table.loc[arm, f"{prefix}_{key}"] = short.get(key, math.nan)
    return table.reset_index()


def report_markdown(table: pd.DataFrame, syndiff_summary: Mapping[str, Any]) -> str:
    """The table as Markdown, with the question it answers and the SynDiff run it rests on."""
    final = syndiff_summary.get("final_metrics", {})
    cycle = {k: v for k, v in final.items() if "cycle" in k or "psnr" in k or "ssim" in k}
    main = ["arm", "images", "dice_foreground", "dice_myelin", "dice_axon", "axon_sensitivity",
            "axon_precision", "g_ratio_mae", "gap_to_oracle"]
    lines = [
        "# AxonDeepSynth experiment report",
        "",
        "How much does SynDiff translation help segmentation in the target modality? Every arm is",
        "evaluated on the same held-out target images (Dice per class, axon detection by one-to-one",
        "IoU matching, g-ratio error over matched axons).",
        "",
        table[[c for c in main if c in table]].to_markdown(index=False, floatfmt=".3f"),
        "",
        "Arms: " + "; ".join(f"**{arm}**: {ARM_DESCRIPTIONS[arm]}" for arm in table["arm"] if arm in ARM_DESCRIPTIONS),
        "",
        f"SynDiff: experiment `{syndiff_summary.get('experiment_name')}`, "
        f"{syndiff_summary.get('epochs_completed')} epochs, {syndiff_summary.get('global_step')} steps.",
    ]
    if cycle:
        lines += ["", "Final SynDiff validation: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(cycle.items()))]
    extra = [c for c in table.columns if c.startswith(("translation_", "faithfulness_"))]
    if extra:
        lines += ["", "## Translation and faithfulness", "",
                  table[["arm", *extra]].dropna(how="all", subset=extra).to_markdown(index=False, floatfmt=".3f")]
    return "\n".join(lines) + "\n"

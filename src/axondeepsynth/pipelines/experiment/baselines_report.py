"""The report's answer to "is SynDiff worth its GPU-days?": every arm ranked with its measured cost,
the distance of each translation to real images (KID), and whether the trust map predicts the
fibres a translation gets wrong.

Costs are what this run measured: nnU-Net's epoch times (fold records), SynDiff's training time
(its summary's ``training_seconds``) and the translation engine's time (translation metrics:
tiles / tiles per second; the histogram matching's own timer). SynDiff trains its diffusive and
non-diffusive generators together, so both kinds of arm are charged the whole SynDiff training.
Prediction is not counted: every arm segments the same images with one nnU-Net.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from axondeepsynth.evaluation.arm_costs import ArmCost, cost_and_gain_sentences, rank_arms
from axondeepsynth.translation.translation_manifest import TranslationManifest

TRAINED_ARMS = {"no_adaptation": "source_model", "oracle": "oracle", "tutorship": "tutorship",
                "augmentation": "augmentation", "non_diffusive_tutorship": "non_diffusive_tutorship"}
"""Report arm -> namespace of the nnU-Net it trains."""

SYNDIFF_ARMS = ("adaptation", "tutorship", "non_diffusive_adaptation", "non_diffusive_tutorship")


def nnunet_training_seconds(fold_records: Sequence[Mapping[str, Any]]) -> float:
    """Seconds nnU-Net spent training the trained folds (sum of their epoch times; 0 if resumed as done)."""
    return float(sum(sum(record.get("history", {}).get("epoch_seconds", [])) for record in fold_records
                     if not record.get("skipped")))


def translation_seconds(metrics: Mapping[str, float]) -> float:
    """Seconds inside the generator, from a translation's ``tiles`` and ``tiles_per_second``."""
    rate = float(metrics.get("tiles_per_second", 0.0))
    return float(metrics.get("tiles", 0.0)) / rate if rate > 0 else math.nan


def arm_costs(folds: Mapping[str, Sequence[Mapping[str, Any]]], syndiff_seconds: float,
              translations: Mapping[str, Mapping[str, float]], matching_seconds: float) -> dict[str, ArmCost]:
    """What each arm cost in this run.

    Args:
        folds: report arm -> its fold records (arms of :data:`TRAINED_ARMS`).
        syndiff_seconds: SynDiff's training time.
        translations: translating arm -> its translation metrics.
        matching_seconds: the histogram matching's time.
    """
    costs: dict[str, ArmCost] = {}
    training = {arm: nnunet_training_seconds(records) for arm, records in folds.items()}
    for arm in ("no_adaptation", "oracle", "augmentation"):
        if arm in training:
            costs[arm] = ArmCost(training[arm], f"nnU-Net training {training[arm]:.0f} s")
    costs["histogram_matching"] = ArmCost(matching_seconds, f"histogram matching {matching_seconds:.1f} s")
    for arm in SYNDIFF_ARMS:
        if arm not in translations:
            continue
        translate = translation_seconds(translations[arm])
        parts = [f"SynDiff training {syndiff_seconds:.0f} s", f"translation {translate:.1f} s"]
        seconds = syndiff_seconds + translate
        if arm in training:
            parts.append(f"nnU-Net training {training[arm]:.0f} s")
            seconds += training[arm]
        costs[arm] = ArmCost(seconds, " + ".join(parts))
    return costs


def measure_arm_costs(syndiff_summary: Mapping[str, Any], matching: TranslationManifest,
                      **inputs: Any) -> dict[str, dict[str, Any]]:
    """Node: what every arm cost in this run (see :func:`arm_costs`), as ``{arm: {seconds, what}}``.

    Args:
        syndiff_summary: catalog ``syndiff_training_summary`` (``training_seconds``).
        matching: ``histogram_matching.translated_images`` (its stats time the matching).
        inputs: ``<namespace>_fold_<slot>`` fold records of the namespaces of :data:`TRAINED_ARMS`
            that ran, and ``<arm>_translation`` metrics of the translating arms.
    """
    folds = {arm: [value for key, value in inputs.items() if key.startswith(f"{namespace}_fold_")]
             for arm, namespace in TRAINED_ARMS.items() if any(k.startswith(f"{namespace}_fold_") for k in inputs)}
    translations = {key.removesuffix("_translation"): value for key, value in inputs.items()
                    if key.endswith("_translation")}
    costs = arm_costs(folds, float(syndiff_summary.get("training_seconds", math.nan)), translations,
                      float(matching.stats.get("translate_seconds", math.nan)))
    return {arm: {"seconds": cost.seconds, "what": cost.what} for arm, cost in costs.items()}


def baselines_markdown(table: pd.DataFrame, costs: Mapping[str, Mapping[str, Any]],
                       kid: Mapping[str, Mapping[str, float]], trust: Mapping[str, float]) -> str:
    """The report's section on costs (as :func:`measure_arm_costs` returns them), KID and the trust map."""
    costs = {arm: ArmCost(float(cost["seconds"]), str(cost["what"])) for arm, cost in costs.items()}
    ranked = rank_arms(table)
    ranked["cost_seconds"] = [costs[arm].seconds if arm in costs else math.nan for arm in ranked["arm"]]
    ranked["kid_x1e3"] = [1e3 * kid.get(arm, {}).get("kid", math.nan) for arm in ranked["arm"]]
    columns = [c for c in ("rank", "arm", "dice_foreground", "dice_myelin", "dice_axon", "cost_seconds", "kid_x1e3")
               if c in ranked]
    lines = ["## Is SynDiff worth its cost?", "",
             "Every arm on the same held-out target images, best first; cost = training and translation "
             "time measured in this run (prediction not counted).", "",
             ranked[columns].to_markdown(index=False, floatfmt=".3f"), "",
             *cost_and_gain_sentences(table, costs)]
    if kid:
        lines += ["", "KID (x 1e3) of each translation to real images of the modality it imitates, through the "
                      "source nnU-Net's encoder (lower = closer; before translation in brackets): "
                  + "; ".join(f"{arm} {1e3 * v['kid']:.2f} ({1e3 * v['kid_untranslated']:.2f})"
                              for arm, v in kid.items())
                  + "."]
    if trust:
        lines += ["", "## Trust map of the adaptation arm (no oracle needed)", "",
                  f"Each image translated {int(trust['draws'])} times with other noise and back: "
                  f"mean spread {trust['mean_spread']:.1f} grey levels, mean cycle error "
                  f"{trust['mean_cycle_error']:.1f}; flagged {int(trust['flagged_images'])} of "
                  f"{int(trust['images'])} images and {int(trust['flagged_tiles'])} tiles.",
                  _trust_auc_sentence(trust)]
    return "\n".join(lines) + "\n"


def _trust_auc_sentence(trust: Mapping[str, float]) -> str:
    """Whether the trust map ranks the wrong fibres above the right ones (ROC AUC), or why that is unmeasured."""
    wrong, right = int(trust["unfaithful_fibres"]), int(trust["faithful_fibres"])
    question = (f"Does it predict the fibres the source model gets wrong on the translations ({wrong} invented "
                f"or lost of {wrong + right})?")
    if wrong == 0 or right == 0:
        return (f"{question} Not measurable in this run: {'every' if right == 0 else 'no'} fibre is wrong, so "
                "there is nothing to rank (ROC AUC undefined); a better translator or more test images are needed.")
    return (f"{question} ROC AUC of per-fibre mean spread {trust['auc_spread']:.3f}, of cycle error "
            f"{trust['auc_cycle_error']:.3f} (0.5 = predicts nothing).")

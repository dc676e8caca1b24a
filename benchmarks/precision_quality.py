"""Does bf16 keep SynDiff's quality? The same short training in fp32 (two seeds) and bf16.

Trains the ``tiny`` preset on crops of the real SEM and TEM samples (shrunk so a 64 px crop holds
several axons) through the project's own training loop (``train_on_rank``), once per arm:

  fp32 seed 0, fp32 seed 1 (the spread between them is the seed noise), bf16 seed 0

and prints each arm's final validation cycle PSNR (dB) / SSIM per modality and its seconds per
step. Then it translates the validation crops with the fp32-trained generator twice, in fp32
and in bf16 with the same noise, and prints the largest absolute difference and the PSNR between
the two outputs (on [0, 1] intensities).

    .venv/bin/python benchmarks/precision_quality.py --steps 60
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from axondeepsynth.imaging.image_io import read_grayscale
from axondeepsynth.imaging.rescaling import rescale_image
from axondeepsynth.syndiff.checkpoints import CheckpointStore
from axondeepsynth.syndiff.config import preset
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.training_run import TrainingJob, TrainingSettings, train_on_rank
from axondeepsynth.syndiff.validation import ValidationSet, image_similarity
from axondeepsynth.translation.model_translation import load_model_translation

REAL_DATA = Path(os.environ.get("AXONDEEPSYNTH_REAL_DATA",
                                Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))
SHRINK = 0.25
"""Scale of the real micrographs: 64 px crops then hold a few axons each."""


def _images() -> dict[str, list[np.ndarray]]:
    return {
        "sem": [rescale_image(read_grayscale(p), SHRINK) for p in sorted(REAL_DATA.glob("sem_bids/sub-*/micr/*_SEM.png"))],
        "tem": [rescale_image(read_grayscale(p), SHRINK) for p in sorted(REAL_DATA.glob("tem_bids/sub-*/micr/*_TEM.png"))],
    }


def _train(images, validation: ValidationSet, root: Path, arm: str, precision: str, seed: int, steps: int,
           threads: int) -> tuple[dict[str, float], float]:
    epochs = 2
    config = preset("tiny", {"optimization": {"num_epochs": epochs, "ema_decay": 0.99}})
    settings = TrainingSettings(arm, "sem", "tem", seed=seed, precision=precision, cpu_threads=threads,
                                max_steps_per_epoch=steps // epochs, save_ckpt_every=epochs, validate_every=epochs,
                                figure_every=epochs)
    job = TrainingJob(images["sem"], images["tem"], validation, CheckpointStore(root), config, settings)
    started = time.perf_counter()
    outcome = train_on_rank(job, DistributedContext(device=torch.device("cpu")))
    return outcome.last_validation.metrics, (time.perf_counter() - started) / outcome.global_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60, help="optimiser steps per arm")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()
    images = _images()
    validation = ValidationSet.from_images(images, None, ("sem", "tem"), 64, limit=4)
    print(f"load average {os.getloadavg()[0]:.2f}; {len(images['sem'])} SEM and {len(images['tem'])} TEM images")
    arms = [("fp32_seed0", "fp32", 0), ("fp32_seed1", "fp32", 1), ("bf16_seed0", "bf16", 0)]
    with tempfile.TemporaryDirectory(prefix="precision_quality_") as scratch:
        root = Path(scratch)
        results = {arm: _train(images, validation, root, arm, precision, seed, args.steps, args.threads)
                   for arm, precision, seed in arms}
        keys = sorted(results["fp32_seed0"][0])
        print(f"{'arm':12s} {'s/step':>7s} " + " ".join(f"{k.removeprefix('val_'):>16s}" for k in keys))
        for arm, (metrics, seconds) in results.items():
            print(f"{arm:12s} {seconds:7.2f} " + " ".join(f"{metrics[k]:16.3f}" for k in keys))
        for key in keys:
            seed_noise = abs(results["fp32_seed0"][0][key] - results["fp32_seed1"][0][key])
            bf16_gap = abs(results["bf16_seed0"][0][key] - results["fp32_seed0"][0][key])
            print(f"{key}: |bf16 - fp32| = {bf16_gap:.3f}, seed noise |fp32 seed 0 - seed 1| = {seed_noise:.3f}")
        store = CheckpointStore(root)
        outputs = {}
        for precision in ("fp32", "bf16"):
            model = load_model_translation(store, "fp32_seed0", "latest", "tem", ["cpu"], args.threads, precision)
            tiles = validation.contrast2.numpy()
            outputs[precision] = torch.from_numpy(model.translate_fn(tiles, list(range(len(tiles)))))
    difference = (outputs["bf16"] - outputs["fp32"]).abs().max().item()
    psnr, ssim = image_similarity(outputs["fp32"], outputs["bf16"])
    print(f"translation tem->sem of {len(outputs['fp32'])} tiles, same noise: max |bf16 - fp32| = {difference:.4f} "
          f"(of a [-1, 1] range), PSNR {psnr:.1f} dB, SSIM {ssim:.4f} between the two")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

"""Does bf16 keep SynDiff's quality? The same short training in fp32 (two seeds) and bf16.

Trains the ``tiny`` preset on crops of the real SEM and TEM samples (shrunk so a 64 px crop holds
several axons) through the project's own training loop (``train_on_rank``), once per arm:

  fp32 seed 0, fp32 seed 1 (the spread between them is the seed noise), bf16 seed 0

and prints each arm's final validation cycle PSNR (dB) / SSIM per modality and its seconds per
step. Then it translates the validation crops with the fp32-trained generator twice, in fp32
and in bf16 with the same noise, and prints the largest absolute difference and the PSNR between
the two outputs (on [0, 1] intensities).

    .venv/bin/python benchmarks/precision_quality.py --steps 60
    .venv/bin/python benchmarks/precision_quality.py --steps 60 --arms bf16_seed0   # one arm per call,
        # the others are read back from --workdir (for machines where 3 arms exceed a time limit)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
        "sem": [rescale_image(read_grayscale(p), SHRINK)
                for p in sorted(REAL_DATA.glob("sem_bids/sub-*/micr/*_SEM.png"))],
        "tem": [rescale_image(read_grayscale(p), SHRINK)
                for p in sorted(REAL_DATA.glob("tem_bids/sub-*/micr/*_TEM.png"))],
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


ARMS = {"fp32_seed0": ("fp32", 0), "fp32_seed1": ("fp32", 1), "bf16_seed0": ("bf16", 0)}


def _report(results: dict[str, dict], validation: ValidationSet, store: CheckpointStore, threads: int) -> None:
    """The arms trained so far side by side, then bf16 vs fp32 translation with the same noise."""
    keys = sorted(next(iter(results.values()))["metrics"])
    print(f"{'arm':12s} {'steps':>5s} {'s/step':>7s} " + " ".join(f"{k.removeprefix('val_'):>16s}" for k in keys))
    for arm, result in sorted(results.items()):
        print(f"{arm:12s} {result['steps']:5d} {result['seconds_per_step']:7.2f} "
              + " ".join(f"{result['metrics'][k]:16.3f}" for k in keys))
    if {"fp32_seed0", "fp32_seed1", "bf16_seed0"} <= set(results):
        for key in keys:
            fp32, other_seed, bf16 = (results[a]["metrics"][key] for a in ("fp32_seed0", "fp32_seed1", "bf16_seed0"))
            print(f"{key}: |bf16 - fp32| = {abs(bf16 - fp32):.3f}, seed noise |fp32 seed 0 - seed 1| = "
                  f"{abs(fp32 - other_seed):.3f}")
    if "fp32_seed0" not in results:
        return
    tiles = validation.contrast2.numpy()
    outputs = {}
    for precision in ("fp32", "bf16"):
        model = load_model_translation(store, "fp32_seed0", "latest", "tem", ["cpu"], threads, precision)
        outputs[precision] = torch.from_numpy(model.translate_fn(tiles, list(range(len(tiles)))))
    difference = (outputs["bf16"] - outputs["fp32"]).abs().max().item()
    psnr, ssim = image_similarity(outputs["fp32"], outputs["bf16"])
    print(f"translation tem->sem of {len(tiles)} tiles by fp32_seed0, same noise: max |bf16 - fp32| = "
          f"{difference:.4f} (of a [-1, 1] range), PSNR {psnr:.1f} dB, SSIM {ssim:.4f} between the two")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60, help="optimiser steps per arm")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--arms", default=",".join(ARMS), help=f"comma-separated, of {list(ARMS)}")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "axondeepsynth_precision_quality",
                        help="checkpoints and results.json; arms of earlier calls are reported too")
    args = parser.parse_args()
    images = _images()
    validation = ValidationSet.from_images(images, None, ("sem", "tem"), 64, limit=4)
    print(f"load average {os.getloadavg()[0]:.2f}; {len(images['sem'])} SEM and {len(images['tem'])} TEM images")
    args.workdir.mkdir(parents=True, exist_ok=True)
    results_file = args.workdir / "results.json"
    results = json.loads(results_file.read_text()) if results_file.is_file() else {}
    store = CheckpointStore(args.workdir / "checkpoints")
    for arm in [a.strip() for a in args.arms.split(",") if a.strip()]:
        precision, seed = ARMS[arm]
        shutil.rmtree(store.experiment_dir(arm), ignore_errors=True)
        metrics, seconds = _train(images, validation, store.root, arm, precision, seed, args.steps, args.threads)
        results[arm] = {"metrics": metrics, "seconds_per_step": seconds, "steps": args.steps,
                        "load_average": os.getloadavg()[0]}
        results_file.write_text(json.dumps(results, indent=2))
    _report(results, validation, store, args.threads)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

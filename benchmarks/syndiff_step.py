"""Training-step speed of SynDiff (all eight networks, the full step) in the project's default
precision for the device beside float32, measured in the same run.

Configurations:
  baseline-tiny  the original code's small setting measured in BASELINES.md: 64 px, base width 32,
                 ch_mult [1, 2, 2, 2], the published discriminators (with the original's 6
                 downsampling blocks, down to 1 px at this size) and ResNet pair, batch 2
  tiny           the project's tiny preset (narrower discriminators / ResNet pair), batch 2
  default        the published configuration: 256 px, width 64, ch_mult [1, 1, 2, 2, 4, 4], batch 1
  default-512    the published configuration on the seed tool's 512 px tiles (conf/full), batch 1

Variants (``--variants``, comma-separated):
  defaults   what training uses with precision: auto, channels_last: auto, cpu_threads: null
  fp32       float32, contiguous          bf16     bf16 autocast, contiguous
  fp32-cl    float32, channels_last       bf16-cl  bf16 autocast, channels_last
  compile    the defaults with the four generators under torch.compile (the discriminators stay
             eager: R1 needs a double backward, which compiled graphs do not support)

Usage:
  python benchmarks/syndiff_step.py --config baseline-tiny
  python benchmarks/syndiff_step.py --config default --device cuda --variants fp32,bf16,bf16-cl,compile

Each round builds every variant afresh (same seed) and times ``--steps`` steps after a warm-up
step; rounds alternate the variants so that load from other jobs on a shared machine hits them
alike. Reported per variant: median seconds per plain step and per R1 step (the R1 penalty runs
every 10th step), seconds per iteration at that 9:1 mix, and peak memory (GPU: allocated by
torch; CPU: the process's peak RSS, shared by all variants). The last line gives the ratio of
float32 to the defaults, and the load average is printed with every round.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from axondeepsynth.syndiff.config import SynDiffConfig, preset
from axondeepsynth.syndiff.cpu_threads import resolve_cpu_threads
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.precision import ComputeSettings, resolve_compute
from axondeepsynth.syndiff.trainer import SynDiffTrainer

CONFIGS = {
    "baseline-tiny": ("default", {"model": {"image_size": 64, "num_channels": 32, "ch_mult": [1, 2, 2, 2],
                                            "disc_downsamples": 6},
                                  "optimization": {"batch_size": 2}}),
    "tiny": ("tiny", {"optimization": {"batch_size": 2}}),
    "default": ("default", {"optimization": {"batch_size": 1}}),
    "default-512": ("default", {"model": {"image_size": 512}, "optimization": {"batch_size": 1}}),
}

FIXED_VARIANTS = {
    "fp32": ComputeSettings(None, False),
    "fp32-cl": ComputeSettings(None, True),
    "bf16": ComputeSettings(torch.bfloat16, False),
    "bf16-cl": ComputeSettings(torch.bfloat16, True),
}


@dataclass
class StepFigures:
    """Timings of one variant over all rounds (seconds)."""

    variant: str
    compute: str
    threads: int
    plain_s: float
    r1_s: float
    s_per_iteration: float
    peak_memory_gb: float
    plain_samples: int

    @property
    def iterations_per_s(self) -> float:
        return 1.0 / self.s_per_iteration


def config_named(name: str) -> SynDiffConfig:
    preset_name, overrides = CONFIGS[name]
    return preset(preset_name, overrides)


def variant_compute(variant: str, device: torch.device) -> ComputeSettings:
    """The compute settings a variant name stands for on ``device``."""
    if variant in ("defaults", "compile"):
        return resolve_compute("auto", "auto", device)
    return FIXED_VARIANTS[variant]


def _synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _trainer(config: SynDiffConfig, device: torch.device, variant: str) -> SynDiffTrainer:
    torch.manual_seed(0)
    trainer = SynDiffTrainer(build_networks(config.model), config, DistributedContext(device=device),
                             variant_compute(variant, device))
    if variant == "compile":
        for name in trainer.generator_names:
            trainer.nets[name] = torch.compile(trainer.nets[name])
    return trainer


def _time_round(config: SynDiffConfig, device: torch.device, variant: str,
                steps: int) -> tuple[list[float], list[float]]:
    """(plain step times, R1 step times) of one fresh trainer; the first (R1) step is a warm-up."""
    trainer = _trainer(config, device, variant)
    size, batch = config.model.image_size, config.optimization.batch_size
    generator = torch.Generator().manual_seed(1)
    crops = [torch.rand(batch, 1, size, size, generator=generator) * 2 - 1 for _ in range(2)]
    plain, with_r1 = [], []
    for step in range(steps + 1):
        _synchronise(device)
        start = time.perf_counter()
        trainer.train_step(*crops)
        _synchronise(device)
        elapsed = time.perf_counter() - start
        if step > 0:
            (with_r1 if step % config.optimization.lazy_reg == 0 else plain).append(elapsed)
    return plain, with_r1


def measure(config: SynDiffConfig, device: torch.device, variants: list[str], steps: int, rounds: int,
            threads: int, log=print) -> list[StepFigures]:
    """Alternate the variants over ``rounds`` rounds of ``steps`` timed steps each."""
    torch.set_num_threads(threads)
    samples: dict[str, tuple[list[float], list[float]]] = {v: ([], []) for v in variants}
    peaks: dict[str, float] = {v: 0.0 for v in variants}
    for round_index in range(rounds):
        for variant in variants:
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            plain, with_r1 = _time_round(config, device, variant, steps)
            samples[variant][0].extend(plain)
            samples[variant][1].extend(with_r1)
            if device.type == "cuda":
                peaks[variant] = max(peaks[variant], torch.cuda.max_memory_allocated(device) / 2**30)
                torch.cuda.empty_cache()
            else:
                peaks[variant] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
            log(f"  round {round_index + 1}/{rounds} {variant:9s} plain {statistics.median(plain):.3f} s "
                f"(load average {os.getloadavg()[0]:.2f})")
    lazy = config.optimization.lazy_reg
    figures = []
    for variant in variants:
        plain, with_r1 = samples[variant]
        plain_s = statistics.median(plain)
        r1_s = statistics.median(with_r1) if with_r1 else float("nan")
        mixed = ((lazy - 1) * plain_s + (r1_s if with_r1 else plain_s)) / lazy
        figures.append(StepFigures(variant, variant_compute(variant, device).describe(), threads, plain_s, r1_s,
                                   mixed, peaks[variant], len(plain)))
    return figures


def print_table(title: str, figures: list[StepFigures], log=print) -> None:
    log(title)
    log(f"{'variant':10s} {'compute':32s} {'threads':>7s} {'plain s':>8s} {'R1 s':>7s} {'s/iter':>7s} "
        f"{'iter/s':>7s} {'peak GB':>8s}")
    for f in figures:
        log(f"{f.variant:10s} {f.compute:32s} {f.threads:7d} {f.plain_s:8.3f} {f.r1_s:7.3f} {f.s_per_iteration:7.3f} "
            f"{f.iterations_per_s:7.3f} {f.peak_memory_gb:8.2f}")
    by_name = {f.variant: f for f in figures}
    if "defaults" in by_name and "fp32" in by_name:
        ratio = by_name["fp32"].s_per_iteration / by_name["defaults"].s_per_iteration
        log(f"defaults ({by_name['defaults'].compute}) {by_name['defaults'].s_per_iteration:.3f} s/iteration, "
            f"fp32 {by_name['fp32'].s_per_iteration:.3f} s/iteration: defaults are {ratio:.2f}x fp32's speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="baseline-tiny")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--variants", default="defaults,fp32", help="comma-separated, see above")
    parser.add_argument("--steps", type=int, default=10, help="timed steps per round (the 10th has R1)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default: the project's, see syndiff/cpu_threads.py)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    device = torch.device(args.device)
    config = config_named(args.config)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - {"defaults", "compile", *FIXED_VARIANTS})
    if unknown:
        parser.error(f"unknown variants {unknown}")
    threads = resolve_cpu_threads(args.threads)
    parameters = build_networks(config.model).parameter_count()
    print(f"config {args.config} ({config.model.image_size} px, batch {config.optimization.batch_size}, "
          f"{parameters / 1e6:.1f} M parameters) on {device}; torch {torch.__version__}; "
          f"{os.cpu_count()} cores, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    figures = measure(config, device, variants, args.steps, args.rounds, threads)
    print_table(f"medians over {args.rounds} rounds of {args.steps} steps", figures)
    print(f"load average at the end {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=2))


if __name__ == "__main__":
    main()

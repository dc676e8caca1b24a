"""Training-step speed and peak memory of SynDiff (all eight networks, the full step).

Configurations:
  baseline-tiny  the original code's small setting measured in BASELINES.md: 64 px, base width 32,
                 ch_mult [1, 2, 2, 2], the published discriminators and ResNet pair, batch 2
  tiny           the project's tiny preset (narrower discriminators / ResNet pair), batch 2
  default        the published configuration: 256 px, width 64, ch_mult [1, 1, 2, 2, 4, 4], batch 1

Usage:
  python benchmarks/syndiff_step.py --config baseline-tiny --steps 6
  python benchmarks/syndiff_step.py --config default --device cuda --bf16 --channels-last

Reports the median seconds per plain step and per R1 step (the R1 penalty runs every 10th
step), iterations/s at the 9:1 mix, peak resident memory (CPU) and peak allocated GPU memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import torch

from axondeepsynth.syndiff.config import SynDiffConfig, preset
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.networks import build_networks
from axondeepsynth.syndiff.trainer import SynDiffTrainer

CONFIGS = {
    "baseline-tiny": ("default", {"model": {"image_size": 64, "num_channels": 32, "ch_mult": [1, 2, 2, 2]},
                                  "optimization": {"batch_size": 2}}),
    "tiny": ("tiny", {"optimization": {"batch_size": 2}}),
    "default": ("default", {"optimization": {"batch_size": 1}}),
}


def _config(name: str) -> SynDiffConfig:
    preset_name, overrides = CONFIGS[name]
    return preset(preset_name, overrides)


def _synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="baseline-tiny")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, default=6, help="timed steps after the first (which includes R1)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast")
    parser.add_argument("--channels-last", action="store_true", help="NHWC memory layout")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    config = _config(args.config)
    torch.manual_seed(0)
    networks = build_networks(config.model)
    parameters = networks.parameter_count()
    trainer = SynDiffTrainer(networks, config, DistributedContext(device=device),
                             autocast_dtype=torch.bfloat16 if args.bf16 else None, channels_last=args.channels_last)
    size, batch = config.model.image_size, config.optimization.batch_size
    crops = [torch.rand(batch, 1, size, size) * 2 - 1 for _ in range(2)]
    lazy = config.optimization.lazy_reg
    plain, with_r1, cpu_plain = [], [], []
    for step in range(args.steps + 1):
        _synchronise(device)
        start, cpu_start = time.perf_counter(), time.process_time()
        trainer.train_step(*crops)
        _synchronise(device)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if step == 0:
            first = elapsed
        elif step % lazy == 0:
            with_r1.append(elapsed)
        else:
            plain.append(elapsed)
            cpu_plain.append(cpu)
    plain_s = statistics.median(plain)
    r1_s = statistics.median(with_r1) if with_r1 else first
    mixed = ((lazy - 1) * plain_s + r1_s) / lazy
    print(f"config {args.config} ({size} px, batch {batch}, {parameters / 1e6:.1f} M parameters) on {device}, "
          f"threads {torch.get_num_threads()}, bf16 {args.bf16}, channels_last {args.channels_last}")
    print(f"plain step {plain_s:.3f} s wall, {statistics.median(cpu_plain):.3f} s CPU (medians of {len(plain)}); "
          f"R1 step {r1_s:.3f} s"
          f"{'' if with_r1 else ' (first step, includes warm-up)'}")
    print(f"{1 / mixed:.3f} iterations/s ({mixed:.3f} s/iteration with R1 every {lazy} steps)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")
    if device.type == "cuda":
        print(f"peak GPU memory {torch.cuda.max_memory_allocated(device) / 2**30:.2f} GB")


if __name__ == "__main__":
    main()

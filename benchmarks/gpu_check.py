"""One GPU check of the whole project: SynDiff steps, translation, nnU-Net and the ``full`` preset.

Sections (each one's figures are written as soon as it ends, so a run cut short keeps them):

  syndiff_256, syndiff_512  the published SynDiff step (benchmarks/syndiff_step.py) at 256 and
                            512 px: fp32, bf16, bf16 + channels_last, the device defaults, and
                            (256 px) the generators under torch.compile; s/iteration, peak memory
  translation_512           tiles/s of the 4-step sampler with the published generator on 512 px
                            tiles, fp32 and the defaults, at several batch sizes and the suggested one
  nnunet                    iterations/s of nnUNetTrainer (nnU-Net's planner and network) on the
                            phantom SEM dataset, a few iterations, and its peak GPU memory
  full_first_epoch          ``kedro run --env full`` of data_engineering and one capped epoch of
                            syndiff_training, end to end (seconds), in a subprocess with a time limit

    .venv/bin/python benchmarks/gpu_check.py --device cuda --out "$OUT"
    .venv/bin/python benchmarks/gpu_check.py --device cpu --tiny      # a minute-scale rehearsal on a CPU
    .venv/bin/python benchmarks/gpu_check.py --dry-run                # what it would run, nothing measured

Without CUDA and without ``--device cpu`` it exits with status 3 and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndiff_step import config_named, measure

from axondeepsynth.syndiff.cpu_threads import resolve_cpu_threads

NO_CUDA_EXIT = 3
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _peak_gb(device: torch.device) -> float | None:
    return torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None


def syndiff_section(size: int, device: torch.device, tiny: bool) -> dict:
    """The training step at ``size`` px in several precisions (published config; baseline-tiny with --tiny)."""
    config = config_named("baseline-tiny" if tiny else ("default" if size == 256 else "default-512"))
    variants = ["fp32", "bf16", "bf16-cl", "defaults"]
    if size == 256 and device.type == "cuda":
        variants.append("compile")
    steps = 2 if tiny else 10
    figures = measure(config, device, variants, steps=steps, rounds=1, threads=resolve_cpu_threads(None))
    return {"image_px": config.model.image_size, "variants": [asdict(f) for f in figures]}


def translation_section(device: torch.device, tiny: bool) -> dict:
    """Model-path tiles/s at 512 px (64 px tiny preset with --tiny), fp32 vs the defaults."""
    from axondeepsynth.translation.model_translation import load_model_translation
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    overrides = None if tiny else {"model": {"image_size": 512}}
    rows = []
    with tempfile.TemporaryDirectory(prefix="gpu_check_translation_") as scratch:
        store = write_untrained_checkpoint(scratch, "check", ("a", "b"), preset_name="tiny" if tiny else "default",
                                           overrides=overrides)
        for precision in ("fp32", "auto"):
            model = load_model_translation(store, "check", "latest", "a", [str(device)], None, precision)
            batch_sizes = sorted({2, model.batch_size} if tiny else {4, 8, 16, model.batch_size})
            for batch in batch_sizes:
                tiles = torch.rand(batch, 1, model.image_size, model.image_size).mul(2).sub(1).numpy()
                seeds = list(range(batch))
                model.translate_fn(tiles, seeds)  # warm-up (kernels, autotuning)
                if device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats(device)
                repeats = 1 if tiny else 3
                started = time.perf_counter()
                for _ in range(repeats):
                    model.translate_fn(tiles, seeds)
                seconds = time.perf_counter() - started
                rows.append({"precision": precision, "batch_size": batch, "suggested": batch == model.batch_size,
                             "tiles_per_s": round(repeats * batch / seconds, 2), "peak_memory_gb": _peak_gb(device)})
    return {"image_px": 64 if tiny else 512, "rows": rows}


def nnunet_section(device: torch.device, tiny: bool, iterations: int) -> dict:
    """nnUNetTrainer iterations/s on the phantom SEM dataset (the CPU demo trainer with --tiny)."""
    from axondeepsynth.nnunet.environment import activate_nnunet_environment
    from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
    from axondeepsynth.nnunet.training import TrainingSettings, train_fold
    from axondeepsynth.phantoms import PhantomConfig, write_phantom_tree

    root = Path(tempfile.mkdtemp(prefix="gpu_check_nnunet_"))
    os.environ.setdefault("nnUNet_compile", "false")  # compile time would swamp a few iterations
    try:
        write_phantom_tree(PhantomConfig(), root / "phantoms")
        base = root / "nnunet"
        processes = min(8, os.cpu_count() or 1)
        activate_nnunet_environment(base, num_processes=processes)
        dataset = "Dataset501_PHANTOM_SEM"
        shutil.copytree(root / "phantoms" / "nnunet" / dataset, base / "nnUNet_raw" / dataset)
        planner = "nnUNetPlannerAxonCPU" if tiny else "ExperimentPlanner"
        plan = plan_and_preprocess(base, 501, PlanningSettings(planner=planner, num_processes=processes))
        trainer = "nnUNetTrainerAxonDemo" if tiny else "nnUNetTrainer"
        settings = TrainingSettings(trainer=trainer, num_epochs=1, iterations_per_epoch=iterations,
                                    val_iterations_per_epoch=1, save_every=100, device=device.type,
                                    validate=False, continue_training=False,
                                    augmentation_processes=0 if tiny else processes)
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        result = train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                            settings, num_processes=processes)
        epoch_seconds = result["history"]["epoch_seconds"][0]
        return {"trainer": trainer, "planner": planner, "patch_size": plan["patch_size"],
                "batch_size": plan["batch_size"], "iterations": iterations,
                "iterations_per_s": round(iterations / epoch_seconds, 3), "epoch_seconds": round(epoch_seconds, 1),
                "peak_memory_gb": _peak_gb(device), "nnUNet_compile": os.environ["nnUNet_compile"]}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def full_first_epoch_section(timeout_s: int, max_steps: int) -> dict:
    """``kedro run --env full``: data_engineering, then one epoch of syndiff_training (step cap)."""
    kedro = Path(sys.executable).with_name("kedro")
    params = (f"syndiff_training.max_epochs_per_run=1,syndiff_training.max_steps_per_epoch={max_steps},"
              "syndiff_training.overwrite=true,syndiff_training.resume=false")
    commands = [[str(kedro), "run", "--env", "full", "--pipeline", "data_engineering"],
                [str(kedro), "run", "--env", "full", "--pipeline", "syndiff_training", "--params", params]]
    deadline = time.monotonic() + timeout_s
    rows = []
    for command in commands:
        started = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
                                  timeout=max(1.0, deadline - time.monotonic()))
            rows.append({"command": " ".join(command[1:]), "seconds": round(time.perf_counter() - started, 1),
                         "returncode": done.returncode, "tail": done.stderr.strip().splitlines()[-3:]})
        except subprocess.TimeoutExpired:
            rows.append({"command": " ".join(command[1:]), "seconds": round(time.perf_counter() - started, 1),
                         "returncode": None, "tail": [f"cut short after the {timeout_s} s limit"]})
        if rows[-1]["returncode"] != 0:
            break
    return {"max_steps_per_epoch": max_steps, "runs": rows,
            "total_seconds": round(sum(r["seconds"] for r in rows), 1)}


def _print_summary(results: dict) -> None:
    print("\n=== gpu_check summary ===")
    print(f"device: {results['device']}")
    for name, section in results["sections"].items():
        if "error" in section:
            print(f"{name}: FAILED ({section['error']})")
        elif name.startswith("syndiff"):
            for v in section["variants"]:
                print(f"{name} {v['variant']:9s} {v['compute']:32s} {v['s_per_iteration']:.3f} s/iteration "
                      f"({1 / v['s_per_iteration']:.2f} it/s), peak {v['peak_memory_gb']:.2f} GB")
        elif name.startswith("translation"):
            for row in section["rows"]:
                print(f"{name} {row['precision']:5s} batch {row['batch_size']:3d}{'*' if row['suggested'] else ' '} "
                      f"{row['tiles_per_s']:9.2f} tiles/s, peak {row['peak_memory_gb'] or 0:.2f} GB")
        elif name == "nnunet":
            print(f"nnunet {section['trainer']} patch {section['patch_size']} batch {section['batch_size']}: "
                  f"{section['iterations_per_s']} iterations/s, peak {section['peak_memory_gb'] or 0:.2f} GB")
        else:
            for run in section["runs"]:
                print(f"{name}: {run['command']}: {run['seconds']} s, exit {run['returncode']}")
    print(f"total {results['total_seconds']:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", help="cuda (the check) or cpu (a rehearsal)")
    parser.add_argument("--tiny", action="store_true", help="small models and few steps (CPU rehearsal)")
    parser.add_argument("--dry-run", action="store_true", help="list the sections and exit")
    parser.add_argument("--out", default=os.environ.get("OUT", ""), help="folder for gpu_check.json")
    parser.add_argument("--sections", default="syndiff_256,syndiff_512,translation_512,nnunet,full_first_epoch")
    parser.add_argument("--nnunet-iterations", type=int, default=30)
    parser.add_argument("--full-timeout", type=int, default=180, help="seconds for the full preset's first epoch")
    parser.add_argument("--full-max-steps", type=int, default=100)
    args = parser.parse_args()
    device = torch.device(args.device)
    wanted = [s.strip() for s in args.sections.split(",") if s.strip()]
    sections: dict[str, Callable[[], dict]] = {
        "syndiff_256": lambda: syndiff_section(256, device, args.tiny),
        "syndiff_512": lambda: syndiff_section(512, device, args.tiny),
        "translation_512": lambda: translation_section(device, args.tiny),
        "nnunet": lambda: nnunet_section(device, args.tiny, 2 if args.tiny else args.nnunet_iterations),
        "full_first_epoch": lambda: full_first_epoch_section(args.full_timeout, args.full_max_steps),
    }
    unknown = sorted(set(wanted) - set(sections))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {sorted(sections)}")
    if args.dry_run:
        print(f"gpu_check would run on {device}{' (tiny)' if args.tiny else ''}: {', '.join(wanted)}")
        return 0
    if device.type == "cuda" and not torch.cuda.is_available():
        print(f"gpu_check: torch {torch.__version__} sees no CUDA device; nothing measured. Run it on a machine "
              "with an NVIDIA GPU, or rehearse with --device cpu --tiny.", file=sys.stderr)
        return NO_CUDA_EXIT
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({os.cpu_count()} cores)"
    results: dict = {"device": name, "torch": torch.__version__, "tiny": args.tiny, "sections": {}}
    out = Path(args.out) / "gpu_check.json" if args.out else None
    started = time.perf_counter()
    for section in wanted:
        print(f"--- {section} ---", flush=True)
        section_start = time.perf_counter()
        try:
            results["sections"][section] = sections[section]()
        except Exception as error:  # noqa: BLE001 - a failed section is reported, the others still run
            traceback.print_exc()
            results["sections"][section] = {"error": f"{type(error).__name__}: {error}"}
        results["sections"][section]["seconds"] = round(time.perf_counter() - section_start, 1)
        results["total_seconds"] = time.perf_counter() - started
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(results, indent=2, default=str))
    _print_summary(results)
    return 0 if all("error" not in s for s in results["sections"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())

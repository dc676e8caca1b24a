"""Tiles per second and peak memory of whole-image translation: one large image, many small ones.

Each scenario runs in its own subprocess and reports its own peak RSS (``ru_maxrss``): the images
(crops and mirrored tilings of the real TEM sample) are written to a temporary folder, then read,
tiled, translated, stitched and written back one image at a time by the adaptation writer, as the
translation pipeline does. ``--model tiny`` translates with an untrained SynDiff of the "tiny"
preset (throughput does not depend on the weights); ``--model identity`` measures the engine
alone (tiling, batching, blending, resizing, I/O), which is what bounds memory for whole slides.
With a model, every scenario runs once per ``--precisions`` entry (fp32, bf16, or auto: the
project's default for the device) and the last lines give each one's tiles/s relative to fp32.
``--batch-size 0`` uses the batch size the project suggests for the device.

    .venv/bin/python benchmarks/translation.py --model identity --large 4096 --small-count 64
    .venv/bin/python benchmarks/translation.py --model tiny --large 512 --small-count 8 --precisions fp32,bf16,auto
    .venv/bin/python benchmarks/translation.py --model default-512 --device cuda --large 4096 --batch-size 0
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REAL_DATA = Path(os.environ.get("AXONDEEPSYNTH_REAL_DATA",
                               Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))
TEM_SAMPLE = REAL_DATA / "tem_bids" / "sub-mouse1" / "micr" / "sub-mouse1_sample-top_TEM.png"


def _write_images(folder: Path, side: int, count: int) -> None:
    """``count`` square PNGs of ``side`` px made from the real TEM sample (mirrored when larger)."""
    from axondeepsynth.imaging.image_io import read_grayscale, write_png_atomic

    tem = read_grayscale(TEM_SAMPLE)
    folder.mkdir(parents=True)
    for index in range(count):
        offset = (37 * index) % max(1, tem.shape[1] - side)
        tiled = np.pad(tem, ((0, max(0, side - tem.shape[0])), (0, max(0, side - tem.shape[1]))), mode="symmetric")
        write_png_atomic(folder / f"image_{index:04d}.png", np.ascontiguousarray(tiled[:side, offset : offset + side]))


MODELS = {"tiny": ("tiny", None), "default": ("default", None),
          "default-512": ("default", {"model": {"image_size": 512}})}
"""Untrained SynDiff generators to translate with: preset and overrides."""


def _translate_fn(model: str, device: str, cpu_threads: int | None, precision: str, root: Path):
    """(translate_fn, tile size, suggested batch size) of ``model`` (or the identity)."""
    from axondeepsynth.translation.model_translation import load_model_translation
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    if model == "identity":
        return (lambda tiles, seeds: tiles), 64, 16
    preset_name, overrides = MODELS[model]
    store = write_untrained_checkpoint(root / "checkpoints", "bench", ("a", "b"), preset_name=preset_name,
                                       overrides=overrides)
    loaded = load_model_translation(store, "bench", "latest", "a", [device], cpu_threads, precision)
    return loaded.translate_fn, loaded.image_size, loaded.batch_size


def _child(args: argparse.Namespace) -> None:
    """Run one scenario; print images, tiles, seconds, tiles/s and peak RSS (MB) as JSON."""
    from axondeepsynth.imaging.sources import discover_images
    from axondeepsynth.translation.folder_source import FolderSource
    from axondeepsynth.translation.image_folder_writer import write_image_folder
    from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
    from axondeepsynth.translation.translation_source import translated_cases

    root = Path(args.workdir)
    translate_fn, tile, suggested = _translate_fn(args.model, args.device, args.cpu_threads, args.precision, root)
    source = FolderSource.uniform(discover_images(root / "images"), tile, args.overlap, 1.0)
    engine = TiledTranslationEngine(translate_fn, args.batch_size or suggested, run_seed=0)
    started = time.perf_counter()
    write_image_folder(root / "translated", translated_cases(source, engine))
    seconds = time.perf_counter() - started
    print(json.dumps({
        "batch_size": engine.batch_size,
        "images": engine.stats.images,
        "tiles": engine.stats.tiles,
        "seconds": round(seconds, 2),
        "tiles_per_second": round(engine.stats.tiles / seconds, 2),
        "model_tiles_per_second": round(engine.stats.tiles_per_second, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def _scenario(name: str, side: int, count: int, precision: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="translation_bench_") as workdir:
        _write_images(Path(workdir) / "images", side, count)
        command = [sys.executable, __file__, "--child", "--workdir", workdir, "--model", args.model,
                   "--device", args.device, "--batch-size", str(args.batch_size), "--overlap", str(args.overlap),
                   "--precision", precision]
        if args.cpu_threads is not None:
            command += ["--cpu-threads", str(args.cpu_threads)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {"scenario": name, "image_px": side, "precision": precision, **figures,
            "load_average": round(os.getloadavg()[0], 2)}


def run_benchmark(args: argparse.Namespace) -> list[dict]:
    """Every scenario once per precision (once for the identity engine); one dict per run."""
    precisions = ["fp32"] if args.model == "identity" else [p.strip() for p in args.precisions.split(",")]
    rows = []
    for precision in precisions:
        rows.append(_scenario("one large image", args.large, 1, precision, args))
        if args.small_count:
            rows.append(_scenario(f"{args.small_count} small images", args.small_size, args.small_count, precision,
                                  args))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny", choices=[*MODELS, "identity"],
                        help="untrained SynDiff generator, or the identity engine")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=16, help="tiles per call; 0: the device's suggestion")
    parser.add_argument("--precisions", default="fp32,auto", help="comma-separated: fp32, bf16, auto")
    parser.add_argument("--precision", default="fp32", help=argparse.SUPPRESS)
    parser.add_argument("--overlap", type=int, default=16, help="pixels shared by neighbouring tiles")
    parser.add_argument("--cpu-threads", type=int, default=None)
    parser.add_argument("--large", type=int, default=4096, help="side (px) of the one large image")
    parser.add_argument("--small-count", type=int, default=64, help="number of small images")
    parser.add_argument("--small-size", type=int, default=200, help="side (px) of each small image")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    print(f"model={args.model} device={args.device} batch={args.batch_size or 'device default'} "
          f"overlap={args.overlap} load average {os.getloadavg()[0]:.2f}")
    rows = run_benchmark(args)
    for row in rows:
        print(json.dumps(row))
    reference = {row["scenario"]: row["model_tiles_per_second"] for row in rows if row["precision"] == "fp32"}
    for row in rows:
        if row["precision"] != "fp32" and reference.get(row["scenario"]):
            print(f"{row['scenario']}: {row['precision']} {row['model_tiles_per_second']} tiles/s = "
                  f"{row['model_tiles_per_second'] / reference[row['scenario']]:.2f}x fp32")


if __name__ == "__main__":
    main()

"""Peak memory of translating one whole-slide image (200 Mpx by default) with ``allow_large_images``.

The image (a mirrored tiling of the real TEM sample, uint8) is written to a temporary folder as an
uncompressed TIFF (read memory-mapped through tifffile) or a PNG (decoded by Pillow), then
translated the way the translation pipeline does it: a folder source read with
``ReadOptions(allow_large_images=True)``, tiled, translated tile by tile, stitched and written by
the adaptation writer. The translation is the identity (the engine alone: reading, scaling,
tiling, blending, resizing back, writing); a SynDiff model adds its per-batch memory only. Each
run is a subprocess that reports its own peak RSS (``ru_maxrss``), set beside the size of one
float32 and one float64 copy of the image. A first child checks that the same file without the
option is refused with a message naming it.

    .venv/bin/python benchmarks/large_image.py                       # 200 Mpx TIFF, scale 1
    .venv/bin/python benchmarks/large_image.py --format png --scale 0.5
"""

from __future__ import annotations

import argparse
import json
import math
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


def _write_slide(path: Path, megapixels: float) -> tuple[int, int]:
    """A square uint8 slide of about ``megapixels`` Mpx, mirrored from the real TEM sample."""
    import tifffile
    from PIL import Image

    from axondeepsynth.imaging.image_io import read_grayscale

    side = math.ceil(math.sqrt(megapixels * 1e6))
    tem = read_grayscale(TEM_SAMPLE)
    slide = np.pad(tem, ((0, side - tem.shape[0]), (0, side - tem.shape[1])), mode="symmetric")
    if path.suffix == ".tif":
        tifffile.imwrite(path, slide)
    else:
        Image.fromarray(slide).save(path, compress_level=1)
    return slide.shape


def _child(args: argparse.Namespace) -> None:
    """Translate the slide (or, with --refuse, only try to read it); print figures as JSON."""
    from axondeepsynth.imaging.image_io import ImageReadError, ReadOptions
    from axondeepsynth.imaging.sources import discover_images
    from axondeepsynth.imaging.tiled_image_source import TiledImageSource
    from axondeepsynth.translation.folder_source import FolderSource
    from axondeepsynth.translation.image_folder_writer import write_image_folder
    from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
    from axondeepsynth.translation.translation_source import translated_cases

    root = Path(args.workdir)
    records = discover_images(root / "images")
    if args.refuse:
        try:
            TiledImageSource(records[0], 1.0, args.tile, args.overlap)()
        except ImageReadError as error:
            print(json.dumps({"refused_without_option": str(error)}))
        else:
            print(json.dumps({}))
        return
    options = ReadOptions(allow_large_images=True)
    source = FolderSource([TiledImageSource(r, args.scale, args.tile, args.overlap, options) for r in records])
    engine = TiledTranslationEngine(lambda tiles, seeds: tiles, args.batch_size, run_seed=0)
    started = time.perf_counter()
    write_image_folder(root / "translated", translated_cases(source, engine))
    print(json.dumps({
        "tiles": engine.stats.tiles,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def _run_child(workdir: str, args: argparse.Namespace, *extra: str) -> dict:
    command = [sys.executable, __file__, "--child", "--workdir", workdir, "--scale", str(args.scale),
               "--tile", str(args.tile), "--overlap", str(args.overlap), "--batch-size", str(args.batch_size), *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=200.0)
    parser.add_argument("--format", choices=("tif", "png"), default="tif")
    parser.add_argument("--scale", type=float, default=1.0, help="scale factor before tiling")
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--overlap", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--refuse", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    with tempfile.TemporaryDirectory(prefix="large_image_bench_") as workdir:
        (Path(workdir) / "images").mkdir()
        shape = _write_slide(Path(workdir) / "images" / f"slide.{args.format}", args.megapixels)
        refused = _run_child(workdir, args, "--refuse")
        figures = _run_child(workdir, args)
    pixels = shape[0] * shape[1]
    print(f"slide {shape[0]}x{shape[1]} = {pixels / 1e6:.1f} Mpx ({args.format}), scale {args.scale}, "
          f"tile {args.tile}, overlap {args.overlap}")
    print(f"without allow_large_images: {refused.get('refused_without_option', 'NOT REFUSED')}")
    print(json.dumps({**figures, "uint8_image_mb": round(pixels / 2**20, 1),
                      "float32_copy_mb": round(4 * pixels / 2**20, 1),
                      "float64_copy_mb": round(8 * pixels / 2**20, 1)}))


if __name__ == "__main__":
    main()

"""Throughput and peak memory of writing a SynDiff HDF5 set from N and 4N phantom images.

Each size runs in its own subprocess (discovery, the pre-write check of every image, then the
streaming save) and reports its own peak RSS (``ru_maxrss``). Because images are read, scaled
and written one at a time, the 4N peak should stay within 1.2x of the N peak.

    .venv/bin/python benchmarks/data_engineering.py --n 25
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DISTINCT_IMAGES = 4


def _write_phantom_folder(folder: Path, count: int, side_px: int) -> None:
    """``count`` PNGs cycling through a few distinct SEM phantom renderings of ``side_px``."""
    from axondeepsynth.imaging.image_io import write_png_atomic
    from axondeepsynth.phantoms import PhantomConfig, generate_phantoms

    config = PhantomConfig(n_subjects=DISTINCT_IMAGES, samples_per_subject=1, field_of_view_um=side_px * 0.1,
                           pixel_size_um={"sem": 0.1, "tem": 0.1})
    renderings = [sample.image for _, sample in zip(range(DISTINCT_IMAGES), generate_phantoms(config).samples("sem"))]
    folder.mkdir(parents=True)
    for index in range(count):
        write_png_atomic(folder / f"image_{index:04d}.png", renderings[index % DISTINCT_IMAGES])


def _child(folder: Path, output: Path, scale: float) -> None:
    """Discover, check and write one SynDiff file; print seconds and peak RSS as JSON."""
    from axondeepsynth.datasets.syndiff_hdf5_dataset import SynDiffHDF5Dataset, SynDiffSplit
    from axondeepsynth.imaging.image_checks import check_records
    from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
    from axondeepsynth.imaging.sources import discover_images

    start = time.perf_counter()
    records = discover_images(folder, modality="sem")
    check_records(records)
    SynDiffHDF5Dataset(str(output)).save(SynDiffSplit({"sem": [ScaledImageSource(r, scale) for r in records]}))
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"images": len(records), "seconds": seconds, "peak_rss_mib": peak_mib}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=25, help="images of the small run (the large one has 4N)")
    parser.add_argument("--side", type=int, default=1024, help="image side in pixels")
    parser.add_argument("--scale", type=float, default=0.5, help="scale factor applied while writing")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]), args.scale)
        return
    work = Path(tempfile.mkdtemp(prefix="bench_data_engineering_"))
    try:
        results = {}
        for count in (args.n, 4 * args.n):
            folder = work / f"images_{count}"
            _write_phantom_folder(folder, count, args.side)
            command = [sys.executable, __file__, "--scale", str(args.scale), "--child", str(folder),
                       str(work / f"out_{count}.hdf5")]
            results[count] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            r = results[count]
            print(f"{count:5d} images of {args.side} px: {r['images'] / r['seconds']:.1f} images/s, "
                  f"peak RSS {r['peak_rss_mib']:.0f} MiB")
        ratio = results[4 * args.n]["peak_rss_mib"] / results[args.n]["peak_rss_mib"]
        print(f"peak RSS 4N / N = {ratio:.3f} ({'within' if ratio <= 1.2 else 'ABOVE'} the 1.2x bound)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

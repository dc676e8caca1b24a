"""Time phantom generation and report what it produced.

Usage::

    python benchmarks/phantoms.py [--out DIR] [--params KEY=VALUE ...]

``--params`` takes top-level ``PhantomConfig`` fields with JSON values, e.g.
``n_subjects=2 'pixel_size_um={"tem": 0.025}'``. Prints wall and CPU seconds for writing the
whole tree, per-modality image size, fibre coverage and the mean grey level of each class.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from axondeepsynth.phantoms import MODALITIES, PhantomCollection, PhantomConfig, write_phantom_tree


def _parse_params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        params[key] = json.loads(value)
    return params


def _describe_first_samples(config: PhantomConfig) -> None:
    collection = PhantomCollection(config)
    for modality in MODALITIES:
        sample = collection.render(modality, 0, 0)
        grey = {name: round(float(sample.image[sample.labels == k].mean()), 1)
                for k, name in enumerate(("background", "myelin", "axon"))}
        print(f"{modality}: {sample.image.shape[1]}x{sample.image.shape[0]} px at {sample.pixel_size_um} um/px, "
              f"fibre coverage {float((sample.labels > 0).mean()):.2f}, mean grey {grey}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="folder to write the tree into (default: a temp folder, removed)")
    parser.add_argument("--params", nargs="*", default=[], help="KEY=JSON overrides of PhantomConfig")
    args = parser.parse_args()
    config = PhantomConfig.from_params(_parse_params(args.params))
    with tempfile.TemporaryDirectory() as scratch:
        root = args.out or Path(scratch) / "phantoms"
        wall, cpu = time.perf_counter(), time.process_time()
        write_phantom_tree(config, root, overwrite=args.out is not None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size_mb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
    print(f"{len(PhantomCollection(config))} samples written in {wall:.1f} s wall, {cpu:.1f} s CPU, {size_mb:.1f} MB")
    _describe_first_samples(config)


if __name__ == "__main__":
    main()

"""Segment image files with a logged model and write AxonDeepSeg-format results: a command line.

    python -m axondeepsynth.serving.segment_images models:/<model id> out/ image1.png image2.tif \
        --pixel-size-um 0.1

loads the MLflow model (any URI ``mlflow.pyfunc.load_model`` takes; the tracking store from
``MLFLOW_TRACKING_URI``), segments the images and writes, in ``out/``, what AxonDeepSeg users open:
``<image>_seg-axon.png``, ``<image>_seg-myelin.png``, ``<image>_seg-axonmyelin.png`` and
``<image>_axon_morphometrics.xlsx``/``.csv``. Without ``--pixel-size-um`` each image's pixel size
is read from ``pixel_size_in_micrometer.txt`` beside it, as AxonDeepSeg does.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import mlflow
import pandas as pd

from axondeepsynth.evaluation.axondeepseg_folder import write_axondeepseg_folder
from axondeepsynth.evaluation.axondeepseg_format import AxonDeepSegResult, axondeepseg_columns
from axondeepsynth.imaging.pixel_size_file import read_pixel_size_file
from axondeepsynth.serving.payload import decode_png, input_frame

logger = logging.getLogger(__name__)


def segment_images(model_uri: str, images: Sequence[Path], output_dir: Path, pixel_size_um: float | None = None,
                   overwrite: bool = False) -> dict[str, AxonDeepSegResult]:
    """Predict ``images`` with the model at ``model_uri`` and write them to ``output_dir``; returns the results."""
    sizes = [pixel_size_um if pixel_size_um is not None else read_pixel_size_file(path.parent) for path in images]
    predictions = mlflow.pyfunc.load_model(model_uri).predict(input_frame(list(images), sizes))
    results = {}
    for path, size, (_, row) in zip(images, sizes, predictions.iterrows()):
        table = pd.DataFrame(json.loads(row["morphometrics"]), columns=axondeepseg_columns(size is not None))
        results[path.stem] = AxonDeepSegResult(decode_png(row["labels_png"]), table, size)
    write_axondeepseg_folder(output_dir, results, overwrite)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_uri", help="e.g. models:/m-0123... or runs:/<run id>/adaptation_segmenter")
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("images", type=Path, nargs="+")
    parser.add_argument("--pixel-size-um", type=float, default=None,
                        help="pixel side of every image (default: pixel_size_in_micrometer.txt beside each image)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    results = segment_images(args.model_uri, args.images, args.output_dir, args.pixel_size_um, args.overwrite)
    for name, result in results.items():
        print(f"{name}: {len(result.morphometrics)} axons -> {args.output_dir / name}_axon_morphometrics.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main())

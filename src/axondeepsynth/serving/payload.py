"""What the served models take and return, as table cells MLflow can carry.

``mlflow.pyfunc`` models exchange pandas DataFrames, and ``mlflow models predict`` feeds them from
JSON or CSV files, so images travel as strings: one row per image, with

- ``image``: a base64-encoded image file (PNG, TIFF, JPEG; any bit depth, read as 8-bit grayscale)
  or the path of an image file readable by the predicting process;
- ``pixel_size_um``: its pixel side in micrometres (empty/NaN when unknown: no rescaling, and
  morphometrics in pixels).

Each output row holds ``labels_png`` (base64 PNG of the label map at the image's size: 0
background, 1 myelin, 2 axon), ``morphometrics`` (JSON records under AxonDeepSeg's column names,
:mod:`axondeepsynth.evaluation.axondeepseg_format`), ``num_axons`` and ``aggregate_gratio``.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema
from PIL import Image

from axondeepsynth.imaging.image_io import read_grayscale

IMAGE_COLUMN = "image"
PIXEL_SIZE_COLUMN = "pixel_size_um"

SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", IMAGE_COLUMN), ColSpec("double", PIXEL_SIZE_COLUMN, required=False)]),
    outputs=Schema([ColSpec("string", "labels_png"), ColSpec("string", "morphometrics"),
                    ColSpec("long", "num_axons"), ColSpec("double", "aggregate_gratio")]),
)


class PayloadError(ValueError):
    """An input row that is neither an image file path nor a base64-encoded image."""


def encode_png(array: np.ndarray) -> str:
    """A 2-D uint8 array as a base64 PNG string (what ``labels_png`` holds; also builds inputs)."""
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def encode_image_file(path: Path | str) -> str:
    """The bytes of an image file, base64-encoded, for the ``image`` column."""
    return base64.b64encode(Path(path).read_bytes()).decode("ascii")


def decode_png(text: str) -> np.ndarray:
    """The array of a base64 PNG string (e.g. an output's ``labels_png``)."""
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(text))))


def decode_image(value: str, row: int) -> np.ndarray:
    """Read one ``image`` cell as 8-bit grayscale: a path to a file, else base64 file bytes.

    Raises:
        PayloadError: naming the row when the cell is neither.
    """
    if not isinstance(value, str) or not value:
        raise PayloadError(f"row {row}: '{IMAGE_COLUMN}' must be an image path or a base64-encoded image file.")
    if len(value) < 4096 and Path(value).is_file():
        return read_grayscale(value)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise PayloadError(
            f"row {row}: '{IMAGE_COLUMN}' is neither an existing file ({value[:60]!r}) nor base64 image bytes; "
            "pass a path the predicting process can read, or encode_image_file(path)."
        ) from error
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image"
        path.write_bytes(data)
        return read_grayscale(path)


def pixel_size_of(frame: pd.DataFrame, row: int) -> float | None:
    """The row's pixel size in micrometres, ``None`` when the column is absent or the cell empty.

    Raises:
        PayloadError: a value that is not a positive number.
    """
    if PIXEL_SIZE_COLUMN not in frame.columns:
        return None
    value = frame[PIXEL_SIZE_COLUMN].iloc[row]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    size = float(value)
    if not math.isfinite(size) or size <= 0:
        raise PayloadError(f"row {row}: '{PIXEL_SIZE_COLUMN}' must be a positive number of micrometres, got {value!r}.")
    return size


def input_frame(images: list[Path | str], pixel_sizes_um: list[float | None]) -> pd.DataFrame:
    """The input DataFrame for image files and their pixel sizes (images sent as base64)."""
    return pd.DataFrame({
        IMAGE_COLUMN: [encode_image_file(path) for path in images],
        PIXEL_SIZE_COLUMN: [float("nan") if size is None else float(size) for size in pixel_sizes_um],
    })

"""AxonDeepSeg's ``pixel_size_in_micrometer.txt``: one number, the pixel side in micrometres.

AxonDeepSeg users keep this file beside their images (its ``axondeepseg_morphometrics`` reads it
from the image's folder); we read it where no BIDS sidecar gives the pixel size, and write it
beside AxonDeepSeg-format outputs so that AxonDeepSeg's own tools find it there too.
"""

from __future__ import annotations

import math
from pathlib import Path

from axondeepsynth.imaging.atomic import atomic_file

PIXEL_SIZE_FILE = "pixel_size_in_micrometer.txt"


class PixelSizeFileError(ValueError):
    """A ``pixel_size_in_micrometer.txt`` that does not hold one positive number."""


def read_pixel_size_file(folder: Path | str) -> float | None:
    """The pixel size (µm) in ``folder/pixel_size_in_micrometer.txt``; ``None`` when there is no such file.

    Raises:
        PixelSizeFileError: the file exists but is not a single positive number (names the file).
    """
    path = Path(folder) / PIXEL_SIZE_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value <= 0:
        raise PixelSizeFileError(
            f"'{path}' must hold one positive number, the pixel side in micrometres (e.g. 0.1), "
            f"not {text[:40]!r}; fix or delete it."
        )
    return value


def write_pixel_size_file(folder: Path | str, pixel_size_um: float, overwrite: bool = True) -> Path:
    """Write ``pixel_size_um`` as AxonDeepSeg reads it (a plain number) into ``folder``; returns the path."""
    if not math.isfinite(pixel_size_um) or pixel_size_um <= 0:
        raise PixelSizeFileError(f"pixel size must be a positive number of micrometres, got {pixel_size_um!r}.")
    path = Path(folder) / PIXEL_SIZE_FILE
    with atomic_file(path, overwrite=overwrite) as temp:
        temp.write_text(f"{pixel_size_um!r}\n", encoding="utf-8")
    return path

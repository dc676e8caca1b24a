"""Write phantom samples as a BIDS microscopy dataset, the layout AxonDeepSeg's datasets use.

```
<modality>_bids/
  dataset_description.json  participants.tsv  samples.tsv
  sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>.png      uint8 grey image
  sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>.json     {"PixelSize": [p, p], "PixelSizeUnits": "um"}
  derivatives/labels/dataset_description.json
  derivatives/labels/sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>_seg-axon-manual.png        0/255
  derivatives/labels/sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>_seg-myelin-manual.png      0/255
  derivatives/labels/sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>_seg-axonmyelin-manual.png  0/127/255
```
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from axondeepsynth.imaging.label_values import axondeepseg_masks
from axondeepsynth.phantoms.collection import PhantomSample

BIDS_VERSION = "1.9.0"
GENERATOR = {"Name": "axondeepsynth.phantoms", "Description": "synthetic nerve tissue rendered in silico"}


def save_png(path: Path, array: np.ndarray) -> None:
    """Write a uint8 2-D array as a single-channel (mode L) PNG, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(array, dtype=np.uint8)).save(path)


def save_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def pixel_size_sidecar(pixel_size_um: float) -> dict[str, Any]:
    return {"PixelSize": [pixel_size_um, pixel_size_um], "PixelSizeUnits": "um"}


def write_bids_sample(bids_root: Path, sample: PhantomSample) -> Path:
    """Write the image, its sidecar and its three label masks; returns the image path."""
    suffix = sample.modality.upper()
    stem = f"{sample.name}_{suffix}"
    micr = Path(f"sub-{sample.subject}") / "micr"
    image_path = bids_root / micr / f"{stem}.png"
    save_png(image_path, sample.image)
    save_json(image_path.with_suffix(".json"), pixel_size_sidecar(sample.pixel_size_um))
    labels_dir = bids_root / "derivatives" / "labels" / micr
    for suffix, mask in axondeepseg_masks(sample.labels).items():
        save_png(labels_dir / f"{stem}{suffix}-manual.png", mask)
    return image_path


def _write_tsv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    path.write_text("\n".join("\t".join(cells) for cells in [header, *rows]) + "\n")


def write_bids_metadata(bids_root: Path, modality: str, subjects: list[str], samples_per_subject: int) -> None:
    """Write the dataset-level files (descriptions, participants.tsv, samples.tsv)."""
    suffix = modality.upper()
    save_json(bids_root / "dataset_description.json", {
        "Name": f"axondeepsynth {suffix} phantoms", "BIDSVersion": BIDS_VERSION, "DatasetType": "raw",
        "License": "CC0", "GeneratedBy": [GENERATOR],
    })
    save_json(bids_root / "derivatives" / "labels" / "dataset_description.json", {
        "Name": f"axondeepsynth {suffix} phantom labels", "BIDSVersion": BIDS_VERSION,
        "DatasetType": "derivative", "GeneratedBy": [GENERATOR],
    })
    _write_tsv(bids_root / "participants.tsv", ["participant_id", "species"],
               ([f"sub-{s}", "in silico"] for s in subjects))
    _write_tsv(bids_root / "samples.tsv", ["sample_id", "participant_id", "sample_type"],
               ([f"sample-{i + 1:02d}", f"sub-{s}", "tissue"] for s in subjects for i in range(samples_per_subject)))

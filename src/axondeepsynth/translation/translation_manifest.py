"""What a translation run wrote, where, and how fast: the record later stages read.

The translation pipeline's outputs are large folders whose location comes from the parameters
(an nnU-Net raw dataset, or an image folder); the manifest is the small JSON file the catalog
points at. Downstream nodes (metrics, the segmentation of tutorship datasets) read it to find the
outputs, and it gives Kedro a dataset to order those nodes after the translation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from axondeepsynth.imaging.image_io import read_grayscale


@dataclass(frozen=True)
class TranslatedPair:
    """One source image and its translation (both uint8, same shape), read from disk."""

    name: str
    source_path: Path
    source: np.ndarray
    translated: np.ndarray


@dataclass
class TranslationManifest:
    """A finished translation.

    Attributes:
        mode: ``tutorship`` (nnU-Net raw dataset) or ``adaptation`` (image folder).
        output_dir: the dataset folder (tutorship) or the image folder (adaptation).
        source_contrast, target_contrast: modality names.
        outputs: output image path (absolute) -> source image path, in translation order.
        dataset_id: nnU-Net dataset id (tutorship) or None.
        stats: images, tiles, batches, translate_seconds, tiles_per_second.
    """

    mode: str
    output_dir: Path
    source_contrast: str
    target_contrast: str
    outputs: dict[str, str]
    dataset_id: int | None = None
    stats: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        """JSON text (paths as strings)."""
        values: dict[str, Any] = asdict(self)
        values["output_dir"] = str(self.output_dir)
        return json.dumps(values, indent=2)

    @classmethod
    def from_json(cls, text: str) -> TranslationManifest:
        """Inverse of :meth:`to_json`."""
        values = json.loads(text)
        values["output_dir"] = Path(values["output_dir"])
        return cls(**values)

    def iter_pairs(self, limit: int | None = None) -> Iterator[TranslatedPair]:
        """Read (source, translation) pairs one at a time, in translation order."""
        for count, (output, source) in enumerate(self.outputs.items()):
            if limit is not None and count >= limit:
                return
            yield TranslatedPair(
                name=Path(output).name,
                source_path=Path(source),
                source=read_grayscale(source),
                translated=read_grayscale(output),
            )

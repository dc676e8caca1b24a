"""A translation as a node returns it: lazy, so that the dataset saving it streams the images.

Iterating :attr:`TranslatedImages.cases` runs the tiled translation engine batch by batch (the
work happens in :mod:`axondeepsynth.translation`, driven by the writer pulling images), so memory
stays bounded by the batch and tile sizes whatever the number and size of images: Kedro's lazy
saving, with one image produced per pull.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from axondeepsynth.translation.tiled_translation import TranslationStats
from axondeepsynth.translation.translated_case import TranslatedCase
from axondeepsynth.translation.translation_manifest import TranslationManifest

MANIFEST_FILE = "translation_manifest.json"
"""Written inside every translation output folder: what was translated, how, how fast."""


@dataclass
class TranslatedImages:
    """Translated images, produced one at a time when :attr:`cases` is iterated.

    Attributes:
        cases: the lazy stream (consumed once, by the dataset's save).
        total: number of images (sizes case ids).
        mode: ``tutorship`` or ``adaptation``.
        source_contrast, target_contrast: modality names.
        stats: filled in by the engine while ``cases`` is consumed.
        overwrite: replace an output an earlier run wrote.
        pixel_size_um: the pixel side (micrometres) the images are at when they stay at a working
            pixel size (tutorship: the target's), recorded in the dataset; ``None``: at their sources' sizes.
    """

    cases: Iterator[TranslatedCase]
    total: int
    mode: str
    source_contrast: str
    target_contrast: str
    stats: TranslationStats
    overwrite: bool = False
    pixel_size_um: float | None = None

    def manifest(self, output_dir: Path, outputs: dict[str, str], dataset_id: int | None = None) -> TranslationManifest:
        """The record of the finished run (call after :attr:`cases` is consumed)."""
        stats = {**asdict(self.stats), "tiles_per_second": self.stats.tiles_per_second}
        return TranslationManifest(mode=self.mode, output_dir=output_dir.resolve(),
                                   source_contrast=self.source_contrast, target_contrast=self.target_contrast,
                                   outputs=outputs, dataset_id=dataset_id, stats=stats)

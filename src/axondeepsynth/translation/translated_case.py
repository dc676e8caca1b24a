"""One translated image together with the source files it came from.

Writers of the translation outputs (nnU-Net raw dataset for tutorship, image folder for
adaptation) receive a stream of these, one per source image, and never need more than one at a
time in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from axondeepsynth.project_outputs import Location


@dataclass(frozen=True)
class SourceImage:
    """Where a source image (and its label map, if any) is stored.

    Attributes:
        path: the source image file.
        label_path: its label map (nnU-Net 0/1/2 or AxonDeepSeg 0/127|128/255), or None.
        case_id: the source's own case name (nnU-Net case id, or the file stem).
    """

    path: Path
    label_path: Path | None
    case_id: str

    def locations(self) -> list[Location]:
        """The files a writer reads for this image, for its output-versus-input check."""
        files = [Location(self.path, "source image")]
        if self.label_path is not None:
            files.append(Location(self.label_path, "source label map"))
        return files


@dataclass(frozen=True)
class TranslatedCase:
    """A translated image (uint8, the source image's original shape) and its source."""

    source: SourceImage
    image: np.ndarray

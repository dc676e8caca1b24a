"""One source image and what its dataset (folder layout, sidecars) says about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImageRecord:
    """One source image and what its dataset says about it.

    Attributes:
        path: the image file.
        modality: the user's name for the modality (``sem``, ``tem``...).
        subject: subject id when the layout names subjects (BIDS ``sub-``), else ``None``.
        sample: an id unique within the dataset (BIDS file stem, nnU-Net case id, relative path).
        pixel_size_um: pixel side in micrometres from the sidecars, ``None`` when unknown (the
            mean of the two sides for anisotropic pixels: a number for areas and reports).
        label_path: the matching label map (0/1/2 or 0/127|128/255), ``None`` when there is none.
        pixel_size_yx_um: (row height, column width) in micrometres when the sidecar states both
            sides; rescaling to a working pixel size uses these, one factor per axis.
    """

    path: Path
    modality: str
    subject: str | None
    sample: str
    pixel_size_um: float | None = None
    label_path: Path | None = None
    pixel_size_yx_um: tuple[float, float] | None = None

    @property
    def pixel_sizes_yx_um(self) -> tuple[float, float] | float | None:
        """The pixel size per axis when known, else the single side (``None`` when unknown): what
        :func:`~axondeepsynth.imaging.rescaling.resolve_scale_factor` takes."""
        return self.pixel_size_yx_um or self.pixel_size_um

    @property
    def group(self) -> str:
        """What splits must keep together: the subject when known, else the image itself."""
        return self.subject if self.subject is not None else self.sample

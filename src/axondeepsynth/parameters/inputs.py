"""``inputs``: everything the user brings, named in one place (``conf/base/parameters_inputs.yml``).

A ``conf/<env>/parameters_inputs.yml`` giving this block runs the whole experiment on other data.
The folders are checked when the first node reads them (after the phantoms are generated on a
fresh clone), not here.
"""

from __future__ import annotations

from pathlib import Path

from axondeepsynth.parameters.fields import Fraction, Name, NonNegativeInt, PositiveFloat, PositiveInt, Scale
from axondeepsynth.parameters.strict_model import StrictModel


class ModalityInput(StrictModel):
    """One modality's images: a BIDS microscopy, nnU-Net raw or plain image folder.

    Attributes:
        modality: the name used everywhere after (HDF5 groups, SynDiff contrasts), e.g. ``sem``.
        path: the folder.
        scale: size multiplier applied before anything else, or ``auto`` (pixel size from the
            sidecars / ``inputs.working_pixel_size_um``).
    """

    modality: Name
    path: Path
    scale: Scale


class RegionGrid(StrictModel):
    """Cut each image into ``rows`` x ``cols`` equal regions, each its own subject (a single large
    image then gives separate training and test subjects)."""

    rows: PositiveInt
    cols: PositiveInt


class TargetInput(ModalityInput):
    """The new modality; ``test_fraction`` of its labelled subjects (drawn with ``test_seed``) are
    held out, and every arm of the experiment is scored on them.

    Attributes:
        transductive: ``false``: those test subjects never enter SynDiff's or any nnU-Net's training;
            ``true``: SynDiff may also see them (unlabelled, legitimate for unpaired translation);
            the experiment report says which it was.
        regions: cut every target image into a grid of regions that act as subjects (written as a
            derived dataset, catalog ``target_regions``), or ``null`` to use the images as they are.
    """

    test_fraction: Fraction
    test_seed: NonNegativeInt
    transductive: bool
    regions: RegionGrid | None


class InputsParams(StrictModel):
    """The user's data.

    Attributes:
        generate_phantoms: write the embedded phantoms (catalog ``phantoms``) before anything reads
            the inputs; ``false`` for your own data.
        source: the labelled modality (SynDiff contrast1; its nnU-Net is the no-adaptation arm).
        target: the new modality (contrast2).
        paired: the same tissue rendered in both modalities (phantoms only) for PSNR/SSIM, or null.
        working_pixel_size_um: micrometres per pixel that ``scale: auto`` brings images to; the
            target's held-out test images are exported at it.
        exclude_dirs: folder names skipped at any depth when listing the folders.
    """

    generate_phantoms: bool
    source: ModalityInput
    target: TargetInput
    paired: Path | None
    working_pixel_size_um: PositiveFloat | None
    exclude_dirs: tuple[str, ...]

"""Find the ground truth of a translation: the same tissue rendered in the target modality.

Only phantoms have it. The phantom tree's ``paired/<source modality>/`` holds, for every source
sample ``sub-XX_sample-YY``, its rendering in the other modality (``sub-XX_sample-YY_<OTHER>.png``,
same shape as the source, see :mod:`axondeepsynth.phantoms`). Source images reach translation
under several names (the BIDS file ``sub-01_sample-02_SEM.png``, the nnU-Net case
``PHANTOM_SEM_sub-01_sample-02``), so images are matched on their BIDS ``sub-*_sample-*`` key.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from axondeepsynth.imaging.file_listing import iter_image_files
from axondeepsynth.imaging.label_detection import is_label_path

logger = logging.getLogger(__name__)

_SAMPLE_KEY = re.compile(r"sub-[A-Za-z0-9]+_sample-[A-Za-z0-9]+")


def sample_key(name: str) -> str | None:
    """The ``sub-XX_sample-YY`` part of a file or case name, or None when it has none."""
    match = _SAMPLE_KEY.search(name)
    return match.group(0) if match else None


def _modality_folder(paired_dir: Path, source_contrast: str) -> Path:
    """``paired_dir/<source_contrast>`` (any letter case) when present, else ``paired_dir`` itself."""
    for child in sorted(paired_dir.iterdir()):
        if child.is_dir() and child.name.lower() == source_contrast.lower():
            return child
    return paired_dir


def index_paired_renderings(paired_dir: Path, source_contrast: str) -> dict[str, Path]:
    """``{sample key: rendering path}`` for the renderings of ``source_contrast`` samples.

    Raises:
        FileNotFoundError: ``paired_dir`` does not exist.
    """
    if not paired_dir.is_dir():
        raise FileNotFoundError(
            f"translation.evaluation.paired_dir '{paired_dir}' does not exist; point it at the phantom "
            "tree's paired/ folder or set it to null."
        )
    folder = _modality_folder(paired_dir, source_contrast)
    index = {}
    for path in iter_image_files(folder, (".git",)):
        key = sample_key(path.stem)
        if key is not None and not is_label_path(path.relative_to(folder)):
            index[key] = path
    logger.info("Found %d paired rendering(s) of %s samples in %s.", len(index), source_contrast, folder)
    return index

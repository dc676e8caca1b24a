"""Find the images of a dataset folder, whatever its layout, as :class:`ImageRecord` s.

Three layouts are recognised from the folder itself:

- BIDS microscopy (``dataset_description.json`` or ``sub-*`` folders): subjects and samples come
  from the file names, pixel sizes from JSON sidecars (inherited from subject or dataset level),
  labels from ``derivatives/**/<image stem>_seg-axonmyelin*``.
- nnU-Net raw (``imagesTr``/``imagesTs``): ``<case>_0000.<ext>`` images, labels in ``labelsTr``.
- anything else: every image file below the folder, without subjects or labels.

Only file names and sidecars are read here; pixels are read later, one image at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from axondeepsynth.imaging.bids_layout import discover_bids, is_bids_root
from axondeepsynth.imaging.file_listing import iter_image_files, refuse_label_files
from axondeepsynth.imaging.image_io import IMAGE_SUFFIXES
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.nnunet_layout import discover_nnunet_raw, is_nnunet_raw_root

logger = logging.getLogger(__name__)

DEFAULT_EXCLUDE_DIRS = ("derivatives", ".git")

__all__ = ["DEFAULT_EXCLUDE_DIRS", "ImageRecord", "SourceNotFoundError", "discover_images"]


class SourceNotFoundError(FileNotFoundError):
    """A dataset folder given in the parameters does not exist or holds no image."""


def _discover_plain(root: Path, exclude_dirs: Iterable[str], modality: str) -> list[ImageRecord]:
    paths = list(iter_image_files(root, exclude_dirs))
    refuse_label_files(paths, root)
    return [
        ImageRecord(path=p, modality=modality, subject=None, sample=p.relative_to(root).with_suffix("").as_posix())
        for p in paths
    ]


def discover_images(
    root: Path | str, exclude_dirs: Iterable[str] = DEFAULT_EXCLUDE_DIRS, modality: str = ""
) -> list[ImageRecord]:
    """List the images of a BIDS microscopy, nnU-Net raw or plain image folder (sorted by path).

    Args:
        root: the dataset folder.
        exclude_dirs: folder names skipped at any depth (labels live in ``derivatives``).
        modality: the user's modality name stored in each record.

    Raises:
        SourceNotFoundError: ``root`` is missing or holds no image after the exclusions.
        LabelMapAmongImagesError: a file named like a label map (``_seg-``, ``labelsTr``) is among
            the images.
    """
    root = Path(root)
    if not root.is_dir():
        raise SourceNotFoundError(f"Dataset folder '{root}' does not exist; check the path in your parameters.")
    exclude_dirs = tuple(exclude_dirs)
    if is_nnunet_raw_root(root):
        records, layout = discover_nnunet_raw(root, exclude_dirs, modality), "nnU-Net raw"
    elif is_bids_root(root):
        records, layout = discover_bids(root, exclude_dirs, modality), "BIDS"
    else:
        records, layout = _discover_plain(root, exclude_dirs, modality), "plain folder"
    if not records:
        raise SourceNotFoundError(
            f"No image ({', '.join(sorted(IMAGE_SUFFIXES))}) found in '{root}' after excluding "
            f"folders {list(exclude_dirs)}; check the path and exclude_dirs."
        )
    records.sort(key=lambda record: record.path)
    logger.info("Found %d %s image(s) in %s (%s layout).", len(records), modality or "", root, layout)
    return records

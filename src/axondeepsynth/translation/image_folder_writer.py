"""Write an adaptation output: one translated PNG per source image, named after its source.

Each output is ``<source stem>.png`` (lossless, whatever the source format), at the source's
original size so that predictions on it line up with the source pixel for pixel, plus
``translated_to_original.json`` (output file -> source image). The folder is built under a
temporary name and renamed when complete; a non-empty existing folder is refused unless
``overwrite``, and even then when it holds a source image or was not written by the project.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.imaging.image_io import write_png_atomic
from axondeepsynth.project_outputs import Location, refuse_unsafe_writes
from axondeepsynth.translation.nnunet_raw_writer import MAPPING_FILE
from axondeepsynth.translation.translated_case import TranslatedCase

logger = logging.getLogger(__name__)


class OutputNameCollisionError(ValueError):
    """Two source images would be written under the same output file name."""


def write_image_folder(
    output_dir: Path, cases: Iterable[TranslatedCase], overwrite: bool = False
) -> dict[str, dict[str, str]]:
    """Write each translated case as ``<source stem>.png`` in ``output_dir`` and return the mapping.

    Returns:
        ``{file name: {"source_image", "source_case_id"}}``, also saved as
        ``translated_to_original.json``.

    Raises:
        FileExistsError: ``output_dir`` is not empty and ``overwrite`` is false, or it was not
            written by the project (:class:`~axondeepsynth.errors.UnownedOutputError`).
        OutputOverlapsInputError: ``output_dir`` is, holds or lies inside a source image's folder.
        OutputNameCollisionError: two sources share a file stem (e.g. the same name in two folders).
    """
    mapping: dict[str, dict[str, str]] = {}
    read_from: list[Location] = []
    with atomic_directory(output_dir, overwrite=overwrite) as temp_dir:
        for case in cases:
            name = f"{case.source.path.stem}.png"
            if name in mapping:
                raise OutputNameCollisionError(
                    f"'{case.source.path}' and '{mapping[name]['source_image']}' would both be written as "
                    f"'{name}'; translate them into separate output folders or rename one of them."
                )
            write_png_atomic(temp_dir / name, case.image)
            read_from += case.source.locations()
            mapping[name] = {"source_image": str(case.source.path), "source_case_id": case.source.case_id}
        if not mapping:
            raise ValueError(f"no images were translated for '{output_dir}'; the source is empty.")
        (temp_dir / MAPPING_FILE).write_text(json.dumps(mapping, indent=2))
        refuse_unsafe_writes([Location(output_dir, "adaptation output folder")], read_from)
    logger.info("Wrote %d translated images to '%s'.", len(mapping), output_dir)
    return mapping

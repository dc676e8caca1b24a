"""Find paired renderings (the same tissue shown in the other modality) for ``dataset_paired.hdf5``.

A paired folder (the phantom tree's ``paired/``) holds images whose JSON sidecar names, in
``SourceImage``, the source image they re-render (relative to the folder's parent, the phantom
root). Each pair is the source image in its own modality and the rendering in the other one, both
scaled by the source's factor so that they stay pixel-aligned.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from axondeepsynth.imaging.bids_layout import pixel_size_um
from axondeepsynth.imaging.file_listing import iter_image_files
from axondeepsynth.imaging.image_record import ImageRecord
from axondeepsynth.imaging.label_detection import is_label_path
from axondeepsynth.imaging.scaled_image_source import ScaledImageSource
from axondeepsynth.parameters.errors import ParameterError

logger = logging.getLogger(__name__)


def _source_of(image: Path, paired_root: Path) -> Path | None:
    sidecar = image.with_suffix(".json")
    if not sidecar.is_file():
        return None
    relative = json.loads(sidecar.read_text(encoding="utf-8")).get("SourceImage")
    if not relative:
        return None
    for base in (paired_root.parent, paired_root):
        if (base / relative).is_file():
            return (base / relative).resolve()
    return None


def discover_pairs(
    paired_root: Path, sources: dict[str, list[ScaledImageSource]]
) -> dict[str, list[ScaledImageSource]]:
    """``{modality: [images]}`` where index i of both modalities shows the same tissue.

    Args:
        paired_root: the folder of paired renderings.
        sources: the two modalities' discovered images, contrast1 first.

    Raises:
        ParameterError: the folder is missing or none of its renderings re-renders a source image.
    """
    if not paired_root.is_dir():
        raise ParameterError(f"inputs.paired: folder '{paired_root}' does not exist; fix it or set paired: null.")
    names = list(sources)
    by_path = {item.record.path.resolve(): (name, item) for name in names for item in sources[name]}
    pairs = []
    for image in iter_image_files(paired_root, (".git",)):
        source_path = _source_of(image, paired_root)
        if is_label_path(image.relative_to(paired_root)) or source_path not in by_path:
            continue
        modality, source = by_path[source_path]
        other = names[1 - names.index(modality)]
        sidecar = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
        rendering = ImageRecord(
            path=image, modality=other, subject=source.record.subject, sample=image.stem,
            pixel_size_um=pixel_size_um(sidecar, image),
        )
        pair = {modality: source, other: ScaledImageSource(rendering, source.scale_factor, source.options)}
        pairs.append((str(source_path), pair))
    if not pairs:
        raise ParameterError(
            f"inputs.paired: no image in '{paired_root}' has a SourceImage sidecar pointing at one of the "
            "modality sources; point it at the phantom tree's paired/ folder or set paired: null."
        )
    pairs.sort(key=lambda entry: entry[0])
    logger.info("Found %d paired rendering(s) in %s.", len(pairs), paired_root)
    return {name: [pair[name] for _, pair in pairs] for name in names}

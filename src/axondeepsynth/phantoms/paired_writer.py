"""Write the paired renderings: each sample's tissue drawn by the other modality's renderer.

Evaluation only (real unpaired data never has this). One folder per source modality:
```
paired/<source modality>/sub-XX_sample-YY_<OTHER>.png                       other-modality rendering
paired/<source modality>/sub-XX_sample-YY_<OTHER>.json                      PixelSize, PixelSizeUnits, SourceImage
paired/<source modality>/sub-XX_sample-YY_<OTHER>_seg-axonmyelin-manual.png 0/127/255, identical to the source's
```
``SourceImage`` is the source image's path relative to the phantom root, e.g.
``sem_bids/sub-01/micr/sub-01_sample-01_SEM.png``; the paired image has its shape and pixel size.
"""

from __future__ import annotations

from pathlib import Path

from axondeepsynth.imaging.label_values import combined_mask
from axondeepsynth.phantoms.bids_writer import pixel_size_sidecar, save_json, save_png
from axondeepsynth.phantoms.collection import PhantomSample


def write_paired_sample(paired_root: Path, sample: PhantomSample, source_image: str) -> Path:
    """Write one paired image with its sidecar and label mask; returns the image path.

    Args:
        paired_root: the ``paired/`` folder.
        sample: the source sample (its ``paired_image`` is written).
        source_image: path of the source image relative to the phantom root.
    """
    stem = f"{sample.name}_{sample.paired_modality.upper()}"
    image_path = paired_root / sample.modality / f"{stem}.png"
    save_png(image_path, sample.paired_image)
    sidecar = {**pixel_size_sidecar(sample.pixel_size_um), "SourceImage": source_image}
    save_json(image_path.with_suffix(".json"), sidecar)
    save_png(image_path.with_name(f"{stem}_seg-axonmyelin-manual.png"), combined_mask(sample.labels))
    return image_path

"""Synthetic nerve tissue rendered as SEM-like and TEM-like microscopy: the embedded default dataset.

The tissue (:mod:`.fibre`, :mod:`.packing`, :mod:`.tissue`) is geometry in micrometres: packed,
non-overlapping fibres (wobbly elliptical axons, log-normal diameters, myelin sheaths with
g-ratio in a range, ~10 % unmyelinated axons that are drawn but labelled background, as in
AxonDeepSeg's manual labels). :mod:`.rasterise` samples it at any pixel size into a label map
(0 background, 1 myelin, 2 axon); :mod:`.sem_renderer` and :mod:`.tem_renderer` draw it the
way the two microscopes show it (SEM: bright myelin, dark axoplasm; TEM: dark lamellar myelin,
light speckled axoplasm).

Layout written by :func:`write_phantom_tree` (and by :class:`~axondeepsynth.datasets.phantom_dataset.PhantomDataset`):
```
<root>/phantom_manifest.json                       the config; present only when the tree is complete
<root>/sem_bids/, <root>/tem_bids/                 BIDS microscopy, different subjects per modality
    sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>.png (+ .json with PixelSize [p, p], PixelSizeUnits "um")
    derivatives/labels/sub-XX/micr/sub-XX_sample-YY_<SEM|TEM>_seg-{axon,myelin,axonmyelin}-manual.png
<root>/paired/<sem|tem>/sub-XX_sample-YY_<OTHER>.png  the source sample's tissue in the other modality,
    same shape and pixel size; + .json (PixelSize, SourceImage: path relative to <root>)
    + _seg-axonmyelin-manual.png (identical to the source's). Evaluation only.
<root>/nnunet/Dataset<ID>_PHANTOM_<SEM|TEM>/       nnU-Net raw: imagesTr, labelsTr, imagesTs, labelsTs, dataset.json
```
So ``paired/sem/sub-01_sample-02_TEM.png`` is ``sem_bids/sub-01/micr/sub-01_sample-02_SEM.png``'s tissue.
"""

from axondeepsynth.phantoms.collection import PhantomCollection, PhantomSample, generate_phantoms
from axondeepsynth.phantoms.config import MODALITIES, PhantomConfig, PhantomConfigError
from axondeepsynth.phantoms.manifest import PhantomManifest, PhantomManifestError, read_manifest
from axondeepsynth.phantoms.tree import write_phantom_tree

__all__ = [
    "MODALITIES",
    "PhantomCollection",
    "PhantomConfig",
    "PhantomConfigError",
    "PhantomManifest",
    "PhantomManifestError",
    "PhantomSample",
    "generate_phantoms",
    "read_manifest",
    "write_phantom_tree",
]

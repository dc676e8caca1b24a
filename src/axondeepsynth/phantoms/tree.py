"""Write a complete phantom tree (BIDS per modality, paired renderings, nnU-Net datasets).

```
<root>/
  phantom_manifest.json           written last: its presence means the tree is complete
  sem_bids/  tem_bids/            see axondeepsynth.phantoms.bids_writer
  paired/sem/  paired/tem/        see axondeepsynth.phantoms.paired_writer
  nnunet/Dataset501_PHANTOM_SEM/  nnunet/Dataset502_PHANTOM_TEM/   see axondeepsynth.phantoms.nnunet_writer
```
Everything is written into a temporary folder beside ``root`` and renamed when complete.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from tqdm import tqdm

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.phantoms.bids_writer import write_bids_metadata, write_bids_sample
from axondeepsynth.phantoms.collection import PhantomCollection
from axondeepsynth.phantoms.config import MODALITIES, PhantomConfig
from axondeepsynth.phantoms.manifest import PhantomManifest
from axondeepsynth.phantoms.nnunet_writer import write_nnunet_case, write_nnunet_dataset_json
from axondeepsynth.phantoms.paired_writer import write_paired_sample

logger = logging.getLogger(__name__)


def _write_into(folder: Path, config: PhantomConfig) -> None:
    staged = PhantomManifest.for_root(folder, config)
    collection = PhantomCollection(config)
    n_training = dict.fromkeys(MODALITIES, 0)
    test_subjects = {m: set(config.subject_ids(m)[config.n_subjects - config.test_subject_count():])
                     for m in MODALITIES}
    for sample in tqdm(collection, total=len(collection), desc="phantoms", unit="sample", leave=False):
        image_path = write_bids_sample(staged.bids[sample.modality], sample)
        write_paired_sample(staged.paired, sample, image_path.relative_to(folder).as_posix())
        held_out = sample.subject in test_subjects[sample.modality]
        write_nnunet_case(staged.nnunet[sample.modality], sample, held_out)
        n_training[sample.modality] += not held_out
    for modality in MODALITIES:
        write_bids_metadata(staged.bids[modality], modality, config.subject_ids(modality), config.samples_per_subject)
        write_nnunet_dataset_json(staged.nnunet[modality], modality, n_training[modality],
                                  config.pixel_size_um[modality])
    staged.write(folder)


def write_phantom_tree(config: PhantomConfig, root: Path | str, overwrite: bool = False) -> PhantomManifest:
    """Generate every sample of ``config`` and write the whole tree at ``root``.

    Raises:
        FileExistsError: ``root`` exists and is not empty, and ``overwrite`` is false.
    """
    root = Path(root)
    start = time.perf_counter()
    with atomic_directory(root, overwrite=overwrite) as folder:
        _write_into(folder, config)
    logger.info("Wrote %d phantom samples to %s in %.1f s.", len(PhantomCollection(config)), root,
                time.perf_counter() - start)
    return PhantomManifest.for_root(root, config)

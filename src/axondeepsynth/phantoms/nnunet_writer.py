"""Write phantom samples as an nnU-Net v2 raw dataset (2-D PNG, one channel).

```
Dataset<ID>_PHANTOM_<MOD>/
  dataset.json      channel_names {"0": "rescale_to_0_1"}, labels, numTraining, file_ending ".png"
  imagesTr/PHANTOM_<MOD>_sub-XX_sample-YY_0000.png    uint8 image
  labelsTr/PHANTOM_<MOD>_sub-XX_sample-YY.png         uint8 0 background, 1 myelin, 2 axon
  imagesTs/, labelsTs/                            the held-out subjects, same naming
```
Held-out cases are whole subjects (the last ``config.test_subject_count()`` of the modality), so
no tissue of a test subject is seen in training.
"""

from __future__ import annotations

from pathlib import Path

from axondeepsynth.imaging.label_values import CLASS_VALUES
from axondeepsynth.phantoms.bids_writer import save_json, save_png
from axondeepsynth.phantoms.collection import PhantomSample


def nnunet_dataset_name(modality: str, dataset_id: int) -> str:
    """``Dataset<ID>_PHANTOM_<MOD>``, the folder name nnU-Net expects under ``nnUNet_raw``."""
    return f"Dataset{dataset_id:03d}_PHANTOM_{modality.upper()}"


def write_nnunet_case(dataset_dir: Path, sample: PhantomSample, held_out: bool) -> str:
    """Write one case's image and label map into the train or test split; returns the case id."""
    case = f"PHANTOM_{sample.modality.upper()}_{sample.name}"
    split = "Ts" if held_out else "Tr"
    save_png(dataset_dir / f"images{split}" / f"{case}_0000.png", sample.image)
    save_png(dataset_dir / f"labels{split}" / f"{case}.png", sample.labels)
    return case


def write_nnunet_dataset_json(dataset_dir: Path, modality: str, n_training: int, pixel_size_um: float) -> None:
    """Write ``dataset.json`` once every case is on disk."""
    save_json(dataset_dir / "dataset.json", {
        "name": dataset_dir.name,
        "description": f"axondeepsynth {modality.upper()} phantoms at {pixel_size_um} um/px",
        "channel_names": {"0": "rescale_to_0_1"},
        "labels": CLASS_VALUES,
        "numTraining": n_training,
        "file_ending": ".png",
    })

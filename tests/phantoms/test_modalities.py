"""The two renderings differ the way SEM and TEM do, on the same tissue, and match the real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.phantoms import PhantomCollection, PhantomConfig, PhantomSample

REAL_SAMPLES = {
    "sem": ("sem_bids/sub-rat1/micr/sub-rat1_sample-data1_SEM.png",
            "sem_bids/derivatives/labels/sub-rat1/micr/sub-rat1_sample-data1_SEM_seg-axonmyelin-manual.png"),
    "tem": ("tem_bids/sub-mouse1/micr/sub-mouse1_sample-top_TEM.png",
            "tem_bids/derivatives/labels/sub-mouse1/micr/sub-mouse1_sample-top_TEM_seg-axonmyelin-manual.png"),
}


def _class_order(image: np.ndarray, labels: np.ndarray) -> list[int]:
    """Labels (0 background, 1 myelin, 2 axon) sorted from darkest to brightest mean grey."""
    return sorted(range(3), key=lambda k: image[labels == k].mean())


@pytest.fixture(scope="module")
def sem_sample(phantom_config: PhantomConfig) -> PhantomSample:
    return PhantomCollection(phantom_config).render("sem", 0, 0)


def test_class_brightness_order_is_reversed_between_modalities(sem_sample: PhantomSample) -> None:
    sem_order = _class_order(sem_sample.image, sem_sample.labels)
    tem_order = _class_order(sem_sample.paired_image, sem_sample.labels)
    assert sem_order == [2, 0, 1]  # axoplasm darkest, myelin brightest
    assert tem_order[0] == 1  # myelin darkest
    assert sem_order != tem_order


@pytest.mark.parametrize("modality", ["sem", "tem"])
def test_class_brightness_order_matches_the_real_modality(
    real_data_dir: Path, phantom_config: PhantomConfig, modality: str
) -> None:
    image_path, label_path = REAL_SAMPLES[modality]
    real_order = _class_order(read_grayscale(real_data_dir / image_path), read_label_map(real_data_dir / label_path))
    sample = PhantomCollection(phantom_config).render(modality, 0, 0)
    assert _class_order(sample.image, sample.labels) == real_order


def _nearest_mean_classifier(image: np.ndarray, labels: np.ndarray):
    """A per-pixel intensity classifier: each pixel takes the class whose mean grey is nearest."""
    means = np.array([image[labels == k].mean() for k in range(3)])

    def predict(other: np.ndarray) -> np.ndarray:
        return np.abs(other[..., None] - means).argmin(axis=-1)

    return predict


def _mean_foreground_dice(predicted: np.ndarray, labels: np.ndarray) -> float:
    scores = []
    for k in (1, 2):
        overlap = np.logical_and(predicted == k, labels == k).sum()
        scores.append(2 * overlap / ((predicted == k).sum() + (labels == k).sum()))
    return float(np.mean(scores))


def test_intensity_classifier_fitted_on_sem_fails_on_tem(sem_sample: PhantomSample) -> None:
    sem = ndimage.gaussian_filter(sem_sample.image.astype(float), 1.0)
    tem = ndimage.gaussian_filter(sem_sample.paired_image.astype(float), 1.0)
    predict = _nearest_mean_classifier(sem, sem_sample.labels)
    in_domain = _mean_foreground_dice(predict(sem), sem_sample.labels)
    cross_domain = _mean_foreground_dice(predict(tem), sem_sample.labels)
    assert in_domain > 0.6
    assert cross_domain < 0.2

"""The lazy collection: reproducible samples, rendered on demand, paired on the same grid."""

from __future__ import annotations

import itertools

import numpy as np

from axondeepsynth.phantoms import PhantomCollection, PhantomConfig, generate_phantoms


def test_iteration_renders_every_sample_and_matches_random_access(phantom_config: PhantomConfig) -> None:
    collection = generate_phantoms(phantom_config)
    samples = iter(collection)
    first, second = next(samples), next(samples)
    assert (first.modality, first.name, second.name) == ("sem", "sub-01_sample-01", "sub-01_sample-02")
    again = PhantomCollection(phantom_config).render("sem", 0, 1)
    np.testing.assert_array_equal(second.image, again.image)
    np.testing.assert_array_equal(second.paired_image, again.paired_image)
    assert len(collection) == sum(1 for _ in collection)


def test_paired_rendering_shares_grid_and_differs_in_look(phantom_config: PhantomConfig) -> None:
    for sample in itertools.islice(generate_phantoms(phantom_config), 0, None, 3):
        expected_shape = phantom_config.image_shape(phantom_config.pixel_size_um[sample.modality])
        assert sample.image.shape == sample.paired_image.shape == sample.labels.shape == expected_shape
        assert sample.image.dtype == sample.paired_image.dtype == np.uint8
        correlation = np.corrcoef(sample.image.ravel(), sample.paired_image.ravel())[0, 1]
        assert correlation < 0, "the modalities invert myelin/axoplasm contrast"


def test_seed_changes_every_image(phantom_config: PhantomConfig) -> None:
    other = PhantomConfig.from_params({**phantom_config.to_dict(), "seed": phantom_config.seed + 1})
    a = PhantomCollection(phantom_config).render("tem", 1, 0)
    b = PhantomCollection(other).render("tem", 1, 0)
    assert not np.array_equal(a.labels, b.labels)
    assert a.subject == b.subject == phantom_config.subject_ids("tem")[1]

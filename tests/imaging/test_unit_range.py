"""uint8 <-> [-1, 1]: every grey level round-trips, and the mapping is written in one module only."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import axondeepsynth
from axondeepsynth.imaging.unit_range import to_uint8_in_place, to_unit_range
from axondeepsynth.syndiff.training_data import centre_crops

PACKAGE = Path(axondeepsynth.__file__).parent


def test_every_grey_level_round_trips_through_the_unit_range():
    levels = np.arange(256, dtype=np.uint8)
    unit = to_unit_range(levels)
    assert unit.dtype == np.float32 and unit[0] == -1.0 and unit[-1] == 1.0
    np.testing.assert_array_equal(to_uint8_in_place(unit), levels)


def test_syndiff_training_crops_are_in_the_same_range_as_translation_tiles():
    image = np.arange(64 * 64, dtype=np.uint32).reshape(64, 64).astype(np.uint8)
    np.testing.assert_array_equal(centre_crops([image], 64).numpy()[0, 0], to_unit_range(image))


def test_the_mapping_is_written_only_in_unit_range():
    """A second copy (SynDiff's training crops had one) could drift from the one translation uses."""
    copies = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                    if path.name != "unit_range.py" and "127.5" in path.read_text(encoding="utf-8"))
    assert copies == []

"""Subject-level splits: no subject in two splits, ratios honoured, graceful with few subjects."""

import logging
from pathlib import Path

import pytest

from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.pipelines.data_engineering.splitting import split_by_group, split_counts

RATIOS = {"train": 0.8, "val": 0.1, "test": 0.1}


@pytest.mark.parametrize(
    "n,ratios,expected",
    [
        (10, RATIOS, {"train": 8, "val": 1, "test": 1}),
        (5, RATIOS, {"train": 3, "val": 1, "test": 1}),
        (2, RATIOS, {"train": 1, "val": 1, "test": 0}),
        (1, RATIOS, {"train": 1, "val": 0, "test": 0}),
        (7, {"train": 0.5, "val": 0.5, "test": 0.0}, {"train": 4, "val": 3, "test": 0}),
        (100, {"train": 0.7, "val": 0.2, "test": 0.1}, {"train": 70, "val": 20, "test": 10}),
    ],
)
def test_split_counts(n: int, ratios: dict, expected: dict) -> None:
    assert split_counts(n, ratios) == expected


def test_real_sem_subjects_never_straddle_splits(real_data_dir: Path) -> None:
    records = discover_images(real_data_dir / "sem_bids", modality="sem")
    for seed in range(6):
        result = split_by_group(records, lambda r: r.group, RATIOS, seed, "sem")
        subjects = {split: {r.subject for r in items} for split, items in result.items.items()}
        assert len(subjects["train"]) == 3 and len(subjects["val"]) == 1 and len(subjects["test"]) == 1
        assert not (subjects["train"] & subjects["val"]) and not (subjects["train"] & subjects["test"])
        assert sum(len(items) for items in result.items.values()) == len(records)
        assert result.shared_with_train == frozenset()
    again = split_by_group(records, lambda r: r.group, RATIOS, 3, "sem")
    assert again == split_by_group(records, lambda r: r.group, RATIOS, 3, "sem")


def test_single_tem_image_is_reused_with_warning(real_data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    records = discover_images(real_data_dir / "tem_bids", modality="tem")
    with caplog.at_level(logging.WARNING):
        result = split_by_group(records, lambda r: r.group, RATIOS, 0, "tem")
    assert result.items == {"train": records, "val": records, "test": records}
    assert result.shared_with_train == frozenset({"val", "test"})
    assert "not held out" in caplog.text and "tem" in caplog.text


def test_one_subject_many_images_splits_by_image(real_data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    rat3 = [r for r in discover_images(real_data_dir / "sem_bids") if r.subject == "sub-rat3"]
    with caplog.at_level(logging.WARNING):
        result = split_by_group(rat3, lambda r: r.group, RATIOS, 0, "sem")
    assert [len(result.items[s]) for s in ("train", "val", "test")] == [1, 1, 1]
    assert {r.path for items in result.items.values() for r in items} == {r.path for r in rat3}
    assert "splitting by image" in caplog.text and result.shared_with_train == frozenset()

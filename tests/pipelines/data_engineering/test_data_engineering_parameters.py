"""Every malformed data_engineering parameter is refused with a message naming it."""

from pathlib import Path

import pytest

from axondeepsynth.pipelines.data_engineering.parameters import (
    ParameterError,
    parse_modalities,
    parse_split_ratios,
    parse_to_translate,
)


def _modality(name: str, path: Path, scale=1.0) -> dict:
    return {"name": name, "sources": [{"path": str(path), "scale": scale}]}


def test_both_source_forms(real_data_dir: Path) -> None:
    sem, tem = real_data_dir / "sem_bids", real_data_dir / "tem_bids"
    first, second = parse_modalities([
        _modality("sem", sem, "auto"),
        {"name": "tem", "paths": [str(tem), str(sem)], "scales": [0.5, 2]},
    ])
    assert first.name == "sem" and first.sources[0].scale == "auto" and first.sources[0].path == sem
    assert [(s.path, s.scale) for s in second.sources] == [(tem, 0.5), (sem, 2.0)]


@pytest.mark.parametrize(
    "modalities,message",
    [
        (lambda d: [_modality("sem", d / "sem_bids")], "exactly two"),
        (lambda d: [_modality("sem", d / "sem_bids"), _modality("sem", d / "tem_bids")], "both modalities are named 'sem'"),
        (lambda d: [_modality("sem", d / "absent"), _modality("tem", d / "tem_bids")], r"modalities\[0\].sources\[0\].path.*absent"),
        (lambda d: [_modality("sem", d / "sem_bids", -1), _modality("tem", d / "tem_bids")], r"sources\[0\].scale"),
        (lambda d: [_modality("sem", d / "sem_bids"), {"name": "tem", "paths": [str(d / "tem_bids")], "scales": [1, 2]}],
         "1 paths but 2 scales"),
        (lambda d: [_modality("", d / "sem_bids"), _modality("tem", d / "tem_bids")], r"modalities\[0\].name"),
    ],
)
def test_bad_modalities(real_data_dir: Path, modalities, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        parse_modalities(modalities(real_data_dir))


@pytest.mark.parametrize(
    "ratios,message",
    [
        ({"train": 0.9, "val": 0.2, "test": -0.1}, "split_ratios.test"),
        ({"train": 0.8, "val": 0.1, "test": 0.2}, "sum to 1"),
        ({"train": 0.8, "val": 0.2}, "train, val and test"),
        ({"train": 0.0, "val": 0.5, "test": 0.5}, "non-zero train"),
    ],
)
def test_bad_ratios(ratios: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        parse_split_ratios(ratios)


def test_ratios_tolerate_float_rounding() -> None:
    assert parse_split_ratios({"train": 0.7, "val": 0.2, "test": 0.1})["train"] == 0.7


@pytest.mark.parametrize(
    "change,message",
    [
        ({"tile_size": 48}, "tile_size=48 must be a multiple of 32 and at least 64"),
        ({"tile_size": 100}, "tile_size=100"),
        ({"overlap": 256}, "overlap=256"),
        ({"source": "/nonexistent/folder"}, "to_translate.source.*nonexistent"),
        ({"modality": ""}, "to_translate.modality"),
        ({"scale": "big"}, "to_translate.scale"),
    ],
)
def test_bad_to_translate(real_data_dir: Path, change: dict, message: str) -> None:
    raw = {"source": str(real_data_dir / "tem_bids"), "scale": 0.5, "tile_size": 256, "modality": "tem", "name": "d"}
    assert parse_to_translate(raw, None).overlap == 64
    with pytest.raises(ParameterError, match=message):
        parse_to_translate({**raw, **change}, None)

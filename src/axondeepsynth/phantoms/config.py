"""Every knob of the phantom generator, in one dataclass built from the ``phantoms`` params dict.

Geometry is in micrometres; only the pixel sizes decide how many pixels an image has. The
defaults are deliberately small (4 subjects x 3 samples per modality, a 25.6 um field: 256 px for
SEM at 0.1 um/px, 640 px for TEM at 0.04 um/px) because the whole demo, SynDiff and nnU-Net
included, must finish in minutes on two CPU cores.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MODALITIES: tuple[str, ...] = ("sem", "tem")
"""The two rendered modalities; lower case in folder and config names, upper case as BIDS suffix."""


class PhantomConfigError(ValueError):
    """A phantom parameter is unknown or out of range; the message names it and the fix."""


def _default_pixel_sizes() -> dict[str, float]:
    return {"sem": 0.1, "tem": 0.04}


def _default_dataset_ids() -> dict[str, int]:
    return {"sem": 501, "tem": 502}


@dataclass(frozen=True)
class PhantomConfig:
    """What to generate and how, all lengths in micrometres.

    Attributes:
        seed: root of every random stream; the same config always gives the same pixels.
        n_subjects: subjects per modality. SEM and TEM get different subjects (different tissue),
            numbered 01.. for SEM and continuing after them for TEM, so subject ids are unique.
        samples_per_subject: images per subject.
        field_of_view_um: side of the square field, the same physical size for both modalities.
        pixel_size_um: pixel size per modality (``sem``, ``tem``), micrometres per pixel.
        fibre_density: target fraction of the field covered by myelinated fibres (axon + myelin);
            packing reaches about 0.65 for a target of 0.8.
        axon_diameter_median_um / axon_diameter_sigma: log-normal axon diameter (area-equivalent
            diameter, the quantity morphometry reports); ``sigma`` is the log-space spread.
        axon_diameter_range_um: diameters are clipped to this (min, max).
        g_ratio_range: myelinated fibres draw a g-ratio (axon diameter / fibre diameter) uniformly here.
        unmyelinated_fraction: fraction of all axons without myelin; they are drawn in the images
            but labelled background, as AxonDeepSeg's manual labels do.
        test_fraction: fraction of subjects held out into nnU-Net ``imagesTs`` (whole subjects, at
            least one, never all).
        nnunet_dataset_id: nnU-Net dataset id per modality (``Dataset<ID>_PHANTOM_<MOD>``).
    """

    seed: int = 0
    n_subjects: int = 4
    samples_per_subject: int = 3
    field_of_view_um: float = 25.6
    pixel_size_um: dict[str, float] = field(default_factory=_default_pixel_sizes)
    fibre_density: float = 0.8
    axon_diameter_median_um: float = 1.2
    axon_diameter_sigma: float = 0.5
    axon_diameter_range_um: tuple[float, float] = (0.3, 4.0)
    g_ratio_range: tuple[float, float] = (0.5, 0.8)
    unmyelinated_fraction: float = 0.1
    test_fraction: float = 0.25
    nnunet_dataset_id: dict[str, int] = field(default_factory=_default_dataset_ids)

    def __post_init__(self) -> None:
        object.__setattr__(self, "axon_diameter_range_um", tuple(self.axon_diameter_range_um))
        object.__setattr__(self, "g_ratio_range", tuple(self.g_ratio_range))
        object.__setattr__(self, "pixel_size_um", {k: float(v) for k, v in self.pixel_size_um.items()})
        object.__setattr__(self, "nnunet_dataset_id", {k: int(v) for k, v in self.nnunet_dataset_id.items()})
        self._validate()

    def _validate(self) -> None:
        checks = [
            ("n_subjects", self.n_subjects >= 1, "use at least 1"),
            ("samples_per_subject", self.samples_per_subject >= 1, "use at least 1"),
            ("field_of_view_um", self.field_of_view_um > 0, "use a positive size in micrometres"),
            ("fibre_density", 0 < self.fibre_density < 0.9, "use a fraction in (0, 0.9)"),
            ("axon_diameter_median_um", self.axon_diameter_median_um > 0, "use a positive diameter"),
            ("axon_diameter_sigma", self.axon_diameter_sigma >= 0, "use a non-negative log spread"),
            ("axon_diameter_range_um", 0 < self.axon_diameter_range_um[0] < self.axon_diameter_range_um[1],
             "use [min, max] with 0 < min < max"),
            ("g_ratio_range", 0 < self.g_ratio_range[0] <= self.g_ratio_range[1] < 1,
             "use [low, high] with 0 < low <= high < 1"),
            ("unmyelinated_fraction", 0 <= self.unmyelinated_fraction < 1, "use a fraction in [0, 1)"),
            ("test_fraction", 0 <= self.test_fraction < 1, "use a fraction in [0, 1)"),
        ]
        for name, ok, fix in checks:
            if not ok:
                raise PhantomConfigError(f"phantoms.{name}={getattr(self, name)!r} is invalid: {fix}.")
        for name, mapping in (("pixel_size_um", self.pixel_size_um), ("nnunet_dataset_id", self.nnunet_dataset_id)):
            if set(mapping) != set(MODALITIES):
                raise PhantomConfigError(
                    f"phantoms.{name} has keys {sorted(mapping)}; give exactly {list(MODALITIES)}."
                )
        for modality, size in self.pixel_size_um.items():
            if not 0 < size <= self.field_of_view_um / 16:
                raise PhantomConfigError(
                    f"phantoms.pixel_size_um.{modality}={size} must be positive and give at least "
                    f"16 px across the {self.field_of_view_um} um field."
                )
        if len(set(self.nnunet_dataset_id.values())) != len(MODALITIES):
            raise PhantomConfigError(f"phantoms.nnunet_dataset_id={self.nnunet_dataset_id} must hold distinct ids.")

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> PhantomConfig:
        """Build from a Kedro params dict; missing keys keep their defaults, unknown keys raise."""
        params = dict(params or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise PhantomConfigError(f"Unknown phantoms parameter(s) {unknown}; known ones are {sorted(known)}.")
        for name in ("pixel_size_um", "nnunet_dataset_id"):
            if name in params:
                defaults = getattr(cls(), name)
                params[name] = {**defaults, **dict(params[name])}
        return cls(**params)

    @classmethod
    def small_for_tests(cls) -> PhantomConfig:
        """A few small images per modality (12.8 um field: 128 px SEM, 256 px TEM) for unit tests."""
        return cls(n_subjects=3, samples_per_subject=2, field_of_view_um=12.8,
                   pixel_size_um={"sem": 0.1, "tem": 0.05})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``from_params(to_dict())`` gives an equal config."""
        data = dataclasses.asdict(self)
        data["axon_diameter_range_um"] = list(self.axon_diameter_range_um)
        data["g_ratio_range"] = list(self.g_ratio_range)
        return data

    def image_shape(self, pixel_size_um: float) -> tuple[int, int]:
        """(rows, columns) of the field at ``pixel_size_um``."""
        side = int(math.floor(self.field_of_view_um / pixel_size_um + 0.5))
        return side, side

    def subject_ids(self, modality: str) -> list[str]:
        """BIDS subject labels (without ``sub-``) of ``modality``: SEM 01..N, TEM N+1..2N."""
        offset = MODALITIES.index(modality) * self.n_subjects
        return [f"{offset + i + 1:02d}" for i in range(self.n_subjects)]

    def test_subject_count(self) -> int:
        """Subjects held out into nnU-Net's test split: round(test_fraction * n), within [1, n-1]
        when there are at least 2 subjects and test_fraction > 0, else 0."""
        if self.test_fraction == 0 or self.n_subjects < 2:
            return 0
        return min(max(1, round(self.test_fraction * self.n_subjects)), self.n_subjects - 1)

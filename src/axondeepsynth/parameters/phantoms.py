"""``phantoms``: the embedded synthetic axon tissue generated when ``inputs.generate_phantoms``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axondeepsynth.parameters.fields import NonNegativeInt, PositiveFloat, PositiveInt
from axondeepsynth.parameters.strict_model import StrictModel

if TYPE_CHECKING:
    from axondeepsynth.phantoms import PhantomConfig


class PhantomParams(StrictModel):
    """The phantom generator's user-facing knobs (the tissue model's own constants stay in
    :class:`~axondeepsynth.phantoms.PhantomConfig`).

    Attributes:
        seed: tissue and noise seed.
        n_subjects, samples_per_subject: how many images per modality.
        field_of_view_um: side of each image in micrometres.
        pixel_size_um: micrometres per pixel of each rendered modality (``sem``, ``tem``).
    """

    seed: NonNegativeInt
    n_subjects: PositiveInt
    samples_per_subject: PositiveInt
    field_of_view_um: PositiveFloat
    pixel_size_um: dict[str, PositiveFloat]

    def to_config(self) -> PhantomConfig:
        """The generator's configuration."""
        from axondeepsynth.phantoms import PhantomConfig

        return PhantomConfig.from_params(self.model_dump())

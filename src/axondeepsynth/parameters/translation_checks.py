"""``translation_checks``: how far to trust a translation without an oracle (trust map, KID)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from axondeepsynth.parameters.fields import NonNegativeInt, PositiveInt
from axondeepsynth.parameters.strict_model import StrictModel
from axondeepsynth.translation.trust_map import TrustSettings

GreyLevels = Annotated[float, Field(ge=0, le=255)]


class TrustMapParams(StrictModel):
    """Attributes:
        draws: translations per image with different noise (K >= 2); draw 0 is the arm's own.
        flag_tile: side (pixels) of the grid cells that are flagged.
        spread_threshold, cycle_threshold: grey levels above which a cell or image is flagged.
        figure_images: images in the trust figure, highest mean spread first.
    """

    draws: Annotated[int, Field(ge=2)]
    flag_tile: PositiveInt
    spread_threshold: GreyLevels
    cycle_threshold: GreyLevels
    figure_images: NonNegativeInt

    def settings(self, run_seed: int, tile_size: int, overlap: int, batch_size: int) -> TrustSettings:
        return TrustSettings(draws=self.draws, run_seed=run_seed, tile_size=tile_size, overlap=overlap,
                             batch_size=batch_size, flag_tile=self.flag_tile, spread_threshold=self.spread_threshold,
                             cycle_threshold=self.cycle_threshold)


class KidParams(StrictModel):
    """Attributes:
        patch_size: side (pixels) of the random square patches compared.
        patches_per_image: patches drawn from each image.
        subsets: random subsets the MMD is averaged over.
        seed: seeds the patches and subsets.
    """

    patch_size: Annotated[int, Field(ge=16)]
    patches_per_image: PositiveInt
    subsets: PositiveInt
    seed: NonNegativeInt


class TranslationChecksParams(StrictModel):
    """Attributes: ``trust_map`` (:class:`TrustMapParams`), ``kid`` (:class:`KidParams`)."""

    trust_map: TrustMapParams
    kid: KidParams

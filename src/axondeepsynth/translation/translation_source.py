"""What the translation engine reads from, whichever form the source images take.

Two sources satisfy :class:`TranslationSource`: a dataset folder tiled on the fly
(:class:`~axondeepsynth.translation.folder_source.FolderSource`) and the tile set of the
data_engineering pipeline (:class:`~axondeepsynth.translation.tile_set_source.TileSetSource`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from axondeepsynth.translation.image_tiles import ImageTiles
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine
from axondeepsynth.translation.translated_case import SourceImage, TranslatedCase


class TranslationSource(Protocol):
    """Source images in a fixed order, and their tiles produced lazily in the same order."""

    @property
    def images(self) -> list[SourceImage]: ...

    @property
    def total_tiles(self) -> int: ...

    def iter_tiles(self) -> Iterator[ImageTiles]: ...


def translated_cases(source: TranslationSource, engine: TiledTranslationEngine) -> Iterator[TranslatedCase]:
    """Translate ``source`` image by image, pairing each output with the image it came from."""
    outputs = engine.translate(source.iter_tiles(), total_tiles=source.total_tiles)
    for image, translated in zip(source.images, outputs, strict=True):
        yield TranslatedCase(source=image, image=translated)

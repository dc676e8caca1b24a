"""Everything one translation run needs, decided up front and executed when saved.

The translation pipeline's planning node returns a :class:`TranslationRequest` (pure: nothing is
read beyond file listings and the checkpoint, nothing is written); the output dataset calls
:meth:`TranslationRequest.run` inside its ``save``. The translation itself therefore runs while
the outputs are written, one image at a time, so memory stays bounded by the batch and tile
sizes whatever the number and size of the images.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from axondeepsynth.translation.image_folder_writer import write_image_folder
from axondeepsynth.translation.nnunet_raw_writer import NnUNetRawTarget, refuse_existing_dataset_id, write_tutorship_dataset
from axondeepsynth.translation.tiled_translation import TiledTranslationEngine, TranslateFn
from axondeepsynth.translation.translation_manifest import TranslationManifest
from axondeepsynth.translation.translation_source import TranslationSource, translated_cases

logger = logging.getLogger(__name__)


@dataclass
class TranslationRequest:
    """A planned translation.

    Attributes:
        source: the images to translate, with their tiles.
        translate_fn: the model, see :data:`~axondeepsynth.translation.tiled_translation.TranslateFn`.
        batch_size: most tiles per model call.
        seed: run seed; each image's noise seed derives from it and the image index.
        source_contrast, target_contrast: modality names.
        destination: an :class:`NnUNetRawTarget` (tutorship) or a folder (adaptation).
        overwrite: replace an existing dataset id / non-empty folder.
    """

    source: TranslationSource
    translate_fn: TranslateFn
    batch_size: int
    seed: int
    source_contrast: str
    target_contrast: str
    destination: NnUNetRawTarget | Path
    overwrite: bool = False

    @property
    def mode(self) -> str:
        """``tutorship`` for an nnU-Net destination, ``adaptation`` for a folder."""
        return "tutorship" if isinstance(self.destination, NnUNetRawTarget) else "adaptation"

    def refuse_existing_output(self) -> None:
        """Raise :class:`FileExistsError` now, before any translation, if the output is taken."""
        if isinstance(self.destination, NnUNetRawTarget):
            refuse_existing_dataset_id(self.destination, self.overwrite)
        elif not self.overwrite and self.destination.is_dir() and any(self.destination.iterdir()):
            raise FileExistsError(
                f"Output folder '{self.destination}' is not empty; choose another "
                "translation.adaptation.output_dir or set translation.overwrite: true."
            )

    def run(self) -> TranslationManifest:
        """Translate every source image and write the outputs; returns what was written."""
        self.refuse_existing_output()
        engine = TiledTranslationEngine(self.translate_fn, self.batch_size, self.seed)
        cases = translated_cases(self.source, engine)
        if isinstance(self.destination, NnUNetRawTarget):
            mapping = write_tutorship_dataset(self.destination, cases, len(self.source.images), self.overwrite)
            output_dir = self.destination.dataset_dir.resolve()
            outputs = {str(output_dir / entry["image"]): entry["source_image"] for entry in mapping.values()}
            dataset_id: int | None = int(self.destination.dataset_id)
        else:
            folder_mapping = write_image_folder(self.destination, cases, self.overwrite)
            output_dir = self.destination.resolve()
            outputs = {str(output_dir / name): entry["source_image"] for name, entry in folder_mapping.items()}
            dataset_id = None
        stats = {**asdict(engine.stats), "tiles_per_second": engine.stats.tiles_per_second}
        return TranslationManifest(
            mode=self.mode,
            output_dir=output_dir,
            source_contrast=self.source_contrast,
            target_contrast=self.target_contrast,
            outputs=outputs,
            dataset_id=dataset_id,
            stats=stats,
        )

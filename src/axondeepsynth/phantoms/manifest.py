"""``phantom_manifest.json``: what a phantom tree holds and the config that generated it.

Written last, so a tree with a manifest is complete; comparing its config with a requested
one tells whether the tree can be reused as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axondeepsynth.phantoms.config import MODALITIES, PhantomConfig
from axondeepsynth.phantoms.nnunet_writer import nnunet_dataset_name

MANIFEST_NAME = "phantom_manifest.json"
MANIFEST_FORMAT = "axondeepsynth.phantoms/1"


class PhantomManifestError(ValueError):
    """A folder is not a phantom tree, or its manifest cannot be read."""


@dataclass(frozen=True)
class PhantomManifest:
    """Where each part of a phantom tree lies (absolute paths) and the config behind it.

    Attributes:
        root: the tree's folder.
        config: the config that generated it.
        bids: BIDS dataset per modality (``root/sem_bids``, ``root/tem_bids``).
        paired: the ``paired/`` folder (see :mod:`axondeepsynth.phantoms.paired_writer`).
        nnunet: nnU-Net raw dataset folder per modality (``root/nnunet/Dataset<ID>_PHANTOM_<MOD>``).
    """

    root: Path
    config: PhantomConfig
    bids: dict[str, Path]
    paired: Path
    nnunet: dict[str, Path]

    @classmethod
    def for_root(cls, root: Path, config: PhantomConfig) -> PhantomManifest:
        """The manifest a tree generated from ``config`` at ``root`` has."""
        root = Path(root)
        return cls(
            root=root,
            config=config,
            bids={m: root / f"{m}_bids" for m in MODALITIES},
            paired=root / "paired",
            nnunet={m: root / "nnunet" / nnunet_dataset_name(m, config.nnunet_dataset_id[m]) for m in MODALITIES},
        )

    def to_json(self) -> dict[str, Any]:
        """JSON form with paths relative to ``root`` (so the tree can be moved)."""
        return {
            "format": MANIFEST_FORMAT,
            "config": self.config.to_dict(),
            "bids": {m: p.relative_to(self.root).as_posix() for m, p in self.bids.items()},
            "paired": self.paired.relative_to(self.root).as_posix(),
            "nnunet": {m: p.relative_to(self.root).as_posix() for m, p in self.nnunet.items()},
        }

    def write(self, folder: Path) -> None:
        """Write the manifest into ``folder`` (the tree's temp folder before it is renamed)."""
        (Path(folder) / MANIFEST_NAME).write_text(json.dumps(self.to_json(), indent=2) + "\n")


def read_manifest(root: Path | str) -> PhantomManifest | None:
    """The manifest of the tree at ``root``, or None when ``root`` holds no manifest.

    Raises:
        PhantomManifestError: the manifest exists but is unreadable or of another format.
    """
    root = Path(root)
    path = root / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        if data.get("format") != MANIFEST_FORMAT:
            raise PhantomManifestError(f"{path} has format {data.get('format')!r}, expected {MANIFEST_FORMAT!r}; "
                                       "regenerate the phantoms with overwrite: true.")
        config = PhantomConfig.from_params(data["config"])
        return PhantomManifest(
            root=root,
            config=config,
            bids={m: root / p for m, p in data["bids"].items()},
            paired=root / data["paired"],
            nnunet={m: root / p for m, p in data["nnunet"].items()},
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, PhantomManifestError):
            raise
        raise PhantomManifestError(f"Cannot read phantom manifest {path}: {error}; regenerate the phantoms "
                                   "with overwrite: true.") from error

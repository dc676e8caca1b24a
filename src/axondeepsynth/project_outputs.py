"""What a run may write: never into its inputs, and only over folders the project wrote itself.

Two rules protect a user's data whatever ``overwrite`` says:

- **Inputs are sacred.** An output location that is, contains or lies inside a location the run
  reads is refused before anything is written (:func:`refuse_overlaps`). Replacing it would
  delete the input (an output equal to or containing it) or mix generated files into it (an
  output inside it). Two outputs of one run may not overlap either. The caller passes only
  inputs from outside the run: one that an earlier node of the same run writes (the phantom
  tree that data_engineering generates, then reads) is protected by the second rule instead.
- **``overwrite`` replaces only the project's own outputs.** Every folder written through
  :func:`~axondeepsynth.imaging.atomic.atomic_directory` carries an ownership manifest
  (:data:`OWNERSHIP_FILE`); an existing folder without one is refused (:func:`refuse_unowned`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from axondeepsynth.errors import OutputOverlapsInputError, UnownedOutputError

logger = logging.getLogger(__name__)

OWNERSHIP_FILE = ".axondeepsynth-output.json"
"""Hidden file in every folder the project writes; its presence lets ``overwrite`` replace it."""


@dataclass(frozen=True)
class Location:
    """A file or folder a run reads or writes, and the name a user knows it by.

    Attributes:
        path: the location (relative paths are taken from the working directory, the project root).
        name: the catalog entry or parameter that points there (``translation.adaptation.output_dir``).
    """

    path: Path
    name: str

    @property
    def resolved(self) -> Path:
        """Absolute path with symbolic links followed, so two spellings of one folder compare equal."""
        return Path(self.path).expanduser().resolve()


def _overlap(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same location or one lies inside the other."""
    return a == b or a in b.parents or b in a.parents


def refuse_overlaps(outputs: Sequence[Location], inputs: Iterable[Location],
                    folders_holding_outputs: Iterable[Location] = ()) -> None:
    """Raise before anything is written when an output overlaps an input or another output.

    Args:
        outputs: every location the run will write, replace or delete.
        inputs: every location the run reads that it does not produce itself (parameter paths,
            source images): an output may not be, contain or lie inside one.
        folders_holding_outputs: locations other entries may nest their outputs in by design (a
            catalog folder with a record file inside): an output may not be or contain one.

    Raises:
        OutputOverlapsInputError: the first clash, naming both locations and their entries.
    """
    resolved_outputs = [(output, output.resolved) for output in outputs]
    for index, (output, path) in enumerate(resolved_outputs):
        for other, other_path in resolved_outputs[index + 1:]:
            if _overlap(path, other_path):
                raise OutputOverlapsInputError(other.path, other.name, output.path, f"{output.name} (also an output)")
    for source in inputs:
        source_path = source.resolved
        for output, path in resolved_outputs:
            if _overlap(path, source_path):
                raise OutputOverlapsInputError(output.path, output.name, source.path, source.name)
    for holder in folders_holding_outputs:
        holder_path = holder.resolved
        for output, path in resolved_outputs:
            if path == holder_path or path in holder_path.parents:
                raise OutputOverlapsInputError(output.path, output.name, holder.path, holder.name)


def _package_version() -> str:
    try:
        return version("axondeepsynth")
    except PackageNotFoundError:
        return "unknown"


def write_ownership_manifest(folder: Path) -> None:
    """Mark ``folder`` as written by this project (who, when, which process)."""
    record = {"written_by": "axondeepsynth", "version": _package_version(), "pid": os.getpid(),
              "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    (Path(folder) / OWNERSHIP_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")


def is_project_output(folder: Path | str) -> bool:
    """True when ``folder`` carries the ownership manifest of :func:`write_ownership_manifest`."""
    return (Path(folder) / OWNERSHIP_FILE).is_file()


def refuse_unowned(folder: Path | str, parameter: str = "overwrite") -> None:
    """Raise :class:`~axondeepsynth.errors.UnownedOutputError` when the existing, non-empty
    ``folder`` was not written by the project, so ``overwrite`` must not replace it."""
    folder = Path(folder)
    if folder.is_dir() and any(folder.iterdir()) and not is_project_output(folder):
        raise UnownedOutputError(
            f"'{folder}' exists and was not written by axondeepsynth (it has no {OWNERSHIP_FILE}), so "
            f"{parameter}: true does not replace it; nothing was written. Move or delete it yourself, "
            "or choose another output location."
        )


def refuse_output_inside_inputs(output_path: Path | str, input_roots: Iterable[Path | str]) -> None:
    """:func:`refuse_overlaps` for one output file and the dataset folders it is made from."""
    refuse_overlaps([Location(Path(output_path), "file")],
                    [Location(Path(root), "dataset") for root in input_roots])


def refuse_unsafe_writes(outputs: Sequence[Location], inputs: Iterable[Location],
                         replaced: Sequence[Location] = ()) -> None:
    """Everything a writer must check before its output replaces anything.

    Args:
        outputs: the locations it writes.
        inputs: the locations it read them from (every source image and label map).
        replaced: existing folders it will delete to make room (an nnU-Net dataset with the same
            id under another name); each must be the project's own and no input.
    """
    refuse_overlaps([*outputs, *replaced], inputs)
    for folder in replaced:
        refuse_unowned(folder.path)

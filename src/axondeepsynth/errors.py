"""The project's own errors for the failures a user must act on: a file that cannot be read,
an output that would destroy an input, an output the project did not write.

Each message names the file(s) and says what to do; a Kedro run shows it instead of the deep
traceback of the library that failed underneath (torch, h5py). They subclass the built-in
exception a caller would catch anyway (``ValueError``, ``FileExistsError``), so existing
``except`` clauses keep working.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REBUILD_WITH_DATA_ENGINEERING = (
    "Re-create it with `kedro run --pipeline data_engineering --params data_engineering.overwrite=true`."
)
"""Remedy for a damaged file that the data_engineering pipeline writes (HDF5 sets, tile sets)."""


class AxonDeepSynthError(Exception):
    """Base of the project's errors: the message says what went wrong, where, and the fix."""


class CorruptFileError(AxonDeepSynthError, ValueError):
    """A file the project wrote (checkpoint, resume state, HDF5 set) is truncated or corrupt."""

    def __init__(self, path: Path | str, kind: str, remedy: str, cause: BaseException) -> None:
        self.path = Path(path)
        super().__init__(f"{kind} '{path}' cannot be read, it is truncated or corrupt ({cause}). {remedy}")


class OutputOverlapsInputError(AxonDeepSynthError, ValueError):
    """An output location is, contains or lies inside a location the same run reads."""

    def __init__(self, output: Path | str, output_name: str, input_path: Path | str, input_name: str) -> None:
        self.output = Path(output)
        self.input = Path(input_path)
        super().__init__(
            f"Output {output_name} '{output}' would overwrite the input {input_name} '{input_path}' "
            "(the output is, contains or lies inside it); nothing was written. Choose an output "
            "location outside every input: overwrite never applies to inputs."
        )


class NnUNetIdClashError(AxonDeepSynthError, ValueError):
    """Two nnU-Net raw datasets of the catalog share an id under one ``nnUNet_raw`` folder."""


class MissingRunInputError(AxonDeepSynthError, FileNotFoundError):
    """A catalog entry the run reads does not exist and no node of the run writes it."""


class UnownedOutputError(AxonDeepSynthError, FileExistsError):
    """``overwrite`` was asked for a folder the project did not write (no ownership manifest)."""


@contextmanager
def names_corrupt_file(path: Path | str, kind: str, remedy: str,
                       errors: tuple[type[BaseException], ...] = (OSError, RuntimeError, EOFError)) -> Iterator[None]:
    """Turn a library's read failure inside the block into a :class:`CorruptFileError` for ``path``.

    Args:
        path: the file being read.
        kind: what it is, for the message (``"SynDiff resume state"``).
        remedy: what the user should do (which pipeline to re-run).
        errors: the exception types the reading library raises on a damaged file (torch raises
            ``RuntimeError: PytorchStreamReader failed ...``, h5py ``OSError: ... truncated file``).
    """
    try:
        yield
    except errors as error:
        raise CorruptFileError(path, kind, remedy, error) from error

"""Where a ``kedro run`` will write and what it must leave alone, from its catalog and parameters.

Before the first node runs, :func:`run_locations` resolves

- **outputs**: the location of every catalog entry a node of the running pipeline writes;
- **protected**: every other catalog entry's location (what this run reads, and datasets other
  pipelines read), which no output may be or contain, and no output folder enter (an output
  file may: the catalog nests records in folders by design, ``syndiff_model`` is ``model.json``
  in the checkpoint folder; a location without a file suffix counts as a folder), and the
  folders the user brings in the ``inputs`` parameter block, which no output may be, contain or
  enter. A user input that lies inside an output of this run is that run's own product (the
  phantoms that data_engineering generates and then reads) and is left to the ownership rule.

:func:`refuse_unsafe_run` then applies :func:`~axondeepsynth.project_outputs.refuse_overlaps`
and refuses two nnU-Net raw datasets with one id under one ``nnUNet_raw`` when this run writes
one of them (nnU-Net finds datasets by id, and replacing one deletes the other), or a folder
the catalog replaces on every run (``overwrite: true``) that the project did not write, and
:func:`refuse_missing_inputs` a run that would read an entry nothing has written yet (inference
before training), naming the pipeline that writes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.io import DataCatalog
from kedro.pipeline import Pipeline
from pydantic import BaseModel

from axondeepsynth.errors import MissingRunInputError, NnUNetIdClashError
from axondeepsynth.project_outputs import Location, refuse_overlaps, refuse_unowned

_LOCATION_ATTRIBUTES = ("_dataset_dir", "_filepath", "_path")
"""Where the project's datasets and kedro-datasets' file datasets keep their local path."""
_USER_INPUT_KEYS = ("path", "paired")


@dataclass(frozen=True)
class RunLocations:
    """What one run writes, and what it must not touch.

    Attributes:
        outputs: the locations its nodes write, named by catalog entry.
        replaced_folders: output folders whose catalog entry says ``overwrite: true`` (replaced
            whole on every run, so they must be the project's own).
        catalog_protected: the catalog entries it does not write.
        user_inputs: the ``inputs`` parameter block's folders (those not produced by this run).
        nnunet_ids: ``(nnUNet_raw folder, dataset id) -> [(catalog entry, dataset folder, written)]``.
    """

    outputs: list[Location]
    replaced_folders: list[Location]
    catalog_protected: list[Location]
    user_inputs: list[Location]
    nnunet_ids: dict[tuple[Path, int], list[tuple[str, Path, bool]]]


def dataset_location(dataset: Any) -> Path | None:
    """The local file or folder a catalog dataset reads and writes, ``None`` for memory or remote ones."""
    if getattr(dataset, "_protocol", "file") not in ("file", None):
        return None
    for attribute in _LOCATION_ATTRIBUTES:
        value = getattr(dataset, attribute, None)
        if value is not None:
            return Path(str(value))
    return None


def _user_inputs(params: Any, prefix: str = "inputs") -> Iterator[Location]:
    """The folders named in the ``inputs`` block (``inputs.source.path``, ``inputs.paired``...);
    ``params`` is the block as a mapping or as its typed model (Kedro builds one where a node asks)."""
    values = params.model_dump() if isinstance(params, BaseModel) else params
    for key, value in values.items():
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            yield from _user_inputs(value, name)
        elif key in _USER_INPUT_KEYS and isinstance(value, (str, Path)) and str(value):
            yield Location(Path(value), name)


def _inside_any(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def run_locations(pipeline: Pipeline, catalog: DataCatalog, params: Mapping[str, Any]) -> RunLocations:
    """Resolve the locations of ``pipeline``'s run (catalog factories included)."""
    written = {name for name in pipeline.all_outputs() if not name.startswith("params:")}
    names = set(catalog.keys()) | written | set(pipeline.all_inputs())
    outputs, replaced, protected = [], [], []
    nnunet_ids: dict[tuple[Path, int], list[tuple[str, Path, bool]]] = defaultdict(list)
    for name in sorted(n for n in names if not n.startswith("params:") and n != "parameters"):
        dataset = catalog.get(name, fallback_to_runtime_pattern=False)
        path = dataset_location(dataset) if dataset is not None else None
        if path is None:
            continue
        location = Location(path, f"catalog entry '{name}'")
        (outputs if name in written else protected).append(location)
        if name in written and getattr(dataset, "_overwrite", False) is True and not path.suffix:
            replaced.append(location)
        dataset_id = getattr(dataset, "_dataset_id", None)
        if dataset_id is not None:
            nnunet_ids[(path.parent.resolve(), int(dataset_id))].append((name, path, name in written))
    own = [output.resolved for output in outputs]
    user_inputs = [source for source in _user_inputs(params.get("inputs", {})) if not _inside_any(source.resolved, own)]
    return RunLocations(outputs, replaced, protected, user_inputs, dict(nnunet_ids))


def _refuse_shared_nnunet_ids(nnunet_ids: Mapping[tuple[Path, int], list[tuple[str, Path, bool]]]) -> None:
    for (raw_dir, dataset_id), entries in nnunet_ids.items():
        writers = [entry for entry in entries if entry[2]]
        if writers and len({path.resolve() for _, path, _ in entries}) > 1:
            name, path, _ = writers[0]
            other_name, other_path, _ = next(e for e in entries if e[1].resolve() != path.resolve())
            raise NnUNetIdClashError(
                f"Catalog entry '{name}' would write nnU-Net dataset '{path}' with id {dataset_id}, the id of "
                f"'{other_path}' (catalog entry '{other_name}') in '{raw_dir}': nnU-Net finds datasets by id, and "
                f"writing one replaces the other, whatever overwrite says. Give '{name}' another dataset_id "
                "(1-999) in conf/<env>/catalog.yml; nothing was written."
            )


def refuse_unsafe_run(locations: RunLocations) -> None:
    """Raise before anything runs when an output of the run would replace or enter a protected location.

    Raises:
        OutputOverlapsInputError: naming the output and the location it would destroy, with
            their catalog entries or parameters.
        NnUNetIdClashError: an nnU-Net dataset written with the id of another catalog entry's.
        UnownedOutputError: a folder the catalog replaces on every run exists and was not
            written by the project (found now rather than after the nodes before it ran).
    """
    refuse_overlaps(locations.outputs, locations.user_inputs, locations.catalog_protected)
    folders = [output for output in locations.outputs if not output.path.suffix]
    refuse_overlaps(folders, locations.catalog_protected)
    _refuse_shared_nnunet_ids(locations.nnunet_ids)
    for folder in locations.replaced_folders:
        refuse_unowned(folder.path, f"overwrite of {folder.name}")


def _writers_of(name: str) -> list[str]:
    """The registered pipelines (smallest first, the default one left out) whose nodes write ``name``."""
    from kedro.framework.project import pipelines

    requested = getattr(pipelines, "_requested_pipelines", None)  # `kedro run -p X` loads only X
    pipelines.set_requested(None)
    try:
        registry = dict(pipelines.items())
    finally:
        pipelines.set_requested(requested)
    writing = [(len(p.nodes), key) for key, p in registry.items() if key != "__default__" and name in p.all_outputs()]
    return [key for _, key in sorted(writing)]


def refuse_missing_inputs(pipeline: Pipeline, catalog: DataCatalog) -> None:
    """Raise before anything runs when a catalog entry the run reads, does not write, and that a
    pipeline of the project writes, is absent (inference before training, translation before
    data_engineering).

    Entries declared ``optional`` (they load empty when absent) and entries no pipeline writes
    (stores such as the checkpoint folder, which training creates, or the user's own data) are
    left to the dataset that reads them.

    Raises:
        MissingRunInputError: naming the entry, its location and the pipeline to run first.
    """
    for name in sorted(pipeline.inputs()):
        if name.startswith("params:") or name == "parameters":
            continue
        dataset = catalog.get(name, fallback_to_runtime_pattern=False)
        if dataset is None or getattr(dataset, "_optional", False) or catalog.exists(name):
            continue
        writers = _writers_of(name)
        if writers:
            location = dataset_location(dataset)
            raise MissingRunInputError(
                f"This run reads catalog entry '{name}'" + (f" ('{location}')" if location else "")
                + f", which does not exist yet; run `kedro run --pipeline {writers[0]}` first (it writes it). "
                "Nothing was run."
            )

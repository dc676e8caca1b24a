"""The walkthrough notebook runs top to bottom on a fresh project.

A fresh clone has no data: the notebook must run ``data_engineering`` itself through its Kedro
session (small phantoms here, set in the copy's ``conf/local`` as a user would), show the phantoms
and the real samples, and tell the user to ``kedro run`` for the experiment's figures and report.
The notebook is executed in a kernel of the Python running the tests, through a kernelspec
written to a temporary ``JUPYTER_PATH``, so no user-level Jupyter setup is needed or used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = PROJECT_ROOT / "notebooks" / "walkthrough.ipynb"
KERNEL_NAME = "axondeepsynth-tests"
REAL_DATA_ENV = "AXONDEEPSYNTH_REAL_DATA"
SMALL_PHANTOMS = {"n_subjects": 3, "samples_per_subject": 2, "field_of_view_um": 12.8}
EXPERIMENT_ENTRIES = ("syndiff_validation_figure", "tutorship.translation_figure", "adaptation.translation_figure",
                      "experiment_arms_figure", "experiment_morphometrics_figure")


def _register_test_kernel(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernelspec running this interpreter, found first through ``JUPYTER_PATH``."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL_NAME, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(folder))
    monkeypatch.setenv("IPYTHONDIR", str(folder / "ipython"))


def _execute(notebook: nbformat.NotebookNode, folder: Path) -> None:
    """Run every cell with ``folder`` as the working directory; on error, fail with the outputs.

    Kedro installs rich tracebacks in IPython, so an exception reaches the notebook as display
    data, not as an error output that nbclient would quote.
    """
    try:
        executor = ExecutePreprocessor(timeout=300, kernel_name=KERNEL_NAME)
        executor.preprocess(notebook, {"metadata": {"path": str(folder)}})
    except CellExecutionError as error:
        shown = [output.get("text") or output.get("data", {}).get("text/plain", "")
                 for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
        text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(shown))
        pytest.fail(f"{error}\n--- notebook outputs (tail) ---\n{text[-6000:]}")


def _cell_text(cell: nbformat.NotebookNode) -> str:
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def _png_count(cell: nbformat.NotebookNode) -> int:
    return sum("image/png" in output.get("data", {}) for output in cell.outputs)


def _cell_with(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    return next(cell for cell in notebook.cells if cell.cell_type == "code" and source in cell.source)


def test_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def test_walkthrough_runs_top_to_bottom_on_a_fresh_project(kedro_project: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    local_params = {"phantoms": SMALL_PHANTOMS}
    (kedro_project / "conf" / "local" / "parameters_phantoms.yml").write_text(yaml.safe_dump(local_params))
    real_root = Path(os.environ.get(REAL_DATA_ENV, PROJECT_ROOT.parent / "shared" / "data" / "real"))
    monkeypatch.setenv(REAL_DATA_ENV, str(real_root))  # the copy has no ../shared beside it
    _register_test_kernel(tmp_path / "jupyter", monkeypatch)
    notebook_dir = kedro_project / "notebooks"
    notebook_dir.mkdir()
    shutil.copy2(NOTEBOOK, notebook_dir / NOTEBOOK.name)

    notebook = nbformat.read(notebook_dir / NOTEBOOK.name, as_version=4)
    _execute(notebook, notebook_dir)

    phantoms = _cell_with(notebook, 'catalog.load("phantoms")')
    assert "No phantom tree yet: running the data_engineering pipeline" in _cell_text(phantoms)
    assert (kedro_project / "data" / "03_primary" / "syndiff" / "dataset_train.hdf5").is_file()
    assert f"Phantom tree at {kedro_project / 'data' / '01_raw' / 'phantoms'}" in _cell_text(phantoms)
    assert "3 subjects x 2 samples per modality" in _cell_text(phantoms)
    assert _png_count(_cell_with(notebook, "paired_tem")) == 1
    scales = _cell_text(_cell_with(notebook, "target_um = "))
    assert "sem: 0.1 um/px -> scale factor 1.00" in scales and "tem: 0.04 um/px -> scale factor 0.40" in scales

    real = _cell_with(notebook, "real_root = ")
    if (real_root / "sem_bids").is_dir() and (real_root / "tem_bids").is_dir():
        assert _png_count(real) == 2
        assert "sub-mouse1_sample-top_TEM: 0.00236 um/px" in _cell_text(real)
    else:
        assert f"No real samples at {real_root}" in _cell_text(real)

    later = "".join(_cell_text(cell) for cell in notebook.cells if cell.cell_type == "code")
    for entry in EXPERIMENT_ENTRIES:
        assert f"'{entry}' does not exist yet: run `kedro run` first" in later
    assert "No experiment report yet: run `kedro run` first" in later
    served = _cell_with(notebook, 'catalog.load("adaptation_model")')
    assert "No logged model yet: run `kedro run` first" in _cell_text(served)

"""``kedro viz build`` shows every pipeline, and the experiment with its arms as namespaces.

Runs the real CLI in the throwaway project copy (it writes ``build/`` and ``.viz/`` into the working
directory) and reads the static site's JSON: ``build/api/main`` is the default pipeline's graph,
``build/api/pipelines/<name>`` each registered pipeline's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PIPELINES = ("data_engineering", "syndiff_training", "translation", "segmentation", "experiment")
ARMS = ("tutorship", "adaptation", "oracle", "source_model")


def _tasks(graph: dict[str, Any]) -> set[str]:
    return {node["full_name"] for node in graph["nodes"] if node["type"] == "task"}


def _graph(build: Path, pipeline: str) -> dict[str, Any]:
    return json.loads((build / "api" / "pipelines" / pipeline).read_text())


def test_viz_build_shows_pipelines_and_experiment_namespaces(kedro_project: Path) -> None:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"}
    result = subprocess.run([sys.executable, "-m", "kedro", "viz", "build"], cwd=kedro_project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]

    build = kedro_project / "build"
    main = json.loads((build / "api" / "main").read_text())
    assert set(PIPELINES) <= {p["id"] for p in main["pipelines"]}
    assert main["selected_pipeline"] == "__default__"
    graphs = {name: _graph(build, name) for name in PIPELINES}
    tasks = {name: _tasks(graph) for name, graph in graphs.items()}
    assert all(tasks.values()), {name: len(found) for name, found in tasks.items()}

    experiment = tasks["experiment"]
    assert _tasks(main) == experiment, "the default pipeline is the experiment"
    assert tasks["data_engineering"] | tasks["syndiff_training"] <= experiment, "run once, outside any arm"
    assert "build_experiment_report" in experiment

    assert set(ARMS) <= set(graphs["experiment"]["modular_pipelines"])
    for arm in ("tutorship", "adaptation"):
        missing = {f"{arm}.{name}" for name in tasks["translation"]} - experiment
        assert not missing, f"{arm} lacks translation nodes {sorted(missing)}"
    for arm in ("source_model", "oracle", "tutorship"):
        missing = {f"{arm}.{name}" for name in tasks["segmentation"]} - experiment
        assert not missing, f"{arm} lacks segmentation nodes {sorted(missing)}"
    assert "adaptation.predict_segmentations" in experiment
    task_namespaces = {namespace for node in graphs["experiment"]["nodes"] if node["type"] == "task"
                       for namespace in node["modular_pipelines"] or []}
    assert set(ARMS) <= task_namespaces

"""``kedro viz build`` shows every pipeline, the experiment with its arms as namespaces, and every
hand-off between pipelines and arms as a dataset node.

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

PIPELINES = ("data_engineering", "syndiff_training", "translation", "segmentation", "faithfulness", "experiment")
ARMS = ("tutorship", "adaptation", "oracle", "source_model")
SLOTS = ("0", "1", "2", "3", "4", "all")
HAND_OFFS = {
    # dataset -> nodes of another pipeline or arm that read it
    "phantoms": ["discover_sources"],
    "syndiff_train": ["train_syndiff"],
    "syndiff_model": ["tutorship.translate_tiles", "adaptation.translate_images"],
    "tiles_to_translate": ["tutorship.translate_tiles"],
    "source_nnunet_raw": ["source_model.prepare_nnunet_dataset"],
    "target_nnunet_raw": ["oracle.prepare_nnunet_dataset", "source_model.list_test_cases",
                          "tutorship.list_test_cases", "adaptation.translate_images", "adaptation.list_adapted_cases",
                          "adaptation.score_translations"],
    "tutorship.nnunet_raw": ["tutorship.prepare_nnunet_dataset", "tutorship.score_translations"],
    "adaptation.translated_images": ["adaptation.list_adapted_cases", "adaptation.score_translations"],
    "source_model.nnunet_plan": ["adaptation.predict_segmentations", "adaptation.score_translations"],
    **{f"source_model.nnunet_fold_{slot}": ["adaptation.predict_segmentations", "adaptation.score_translations"]
       for slot in SLOTS},
    "oracle.nnunet_plan": ["tutorship.score_translations"],
    **{f"oracle.nnunet_fold_{slot}": ["tutorship.score_translations"] for slot in SLOTS},
    **{f"{arm}.segmentation_metrics": ["build_experiment_report"] for arm in ARMS},
    "syndiff_training_summary": ["build_experiment_report"],
}


def _tasks(graph: dict[str, Any]) -> set[str]:
    return {node["full_name"] for node in graph["nodes"] if node["type"] == "task"}


def _graph(build: Path, pipeline: str) -> dict[str, Any]:
    return json.loads((build / "api" / "pipelines" / pipeline).read_text())


def _data_to_task_edges(graph: dict[str, Any]) -> set[tuple[str, str]]:
    """(dataset name, task full name) for every edge from a dataset or parameter node into a task."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    edges = set()
    for edge in graph["edges"]:
        source, target = nodes.get(edge["source"]), nodes.get(edge["target"])
        if source and target and target["type"] == "task" and source["type"] in ("data", "parameters"):
            edges.add((source["name"], target["full_name"]))
    return edges


def test_viz_build_shows_pipelines_arms_and_every_hand_off_as_a_dataset(kedro_project: Path) -> None:
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
    assert tasks["translation"] | tasks["faithfulness"] <= experiment, "the experiment's arms, as they run alone"
    assert "build_experiment_report" in experiment
    assert set(ARMS) <= set(graphs["experiment"]["modular_pipelines"])
    for arm in ("source_model", "oracle", "tutorship"):
        missing = {name.replace("segmentation.", f"{arm}.", 1) for name in tasks["segmentation"]} - experiment
        assert not missing, f"{arm} lacks segmentation nodes {sorted(missing)}"
    assert {f"adaptation.{n}" for n in ("list_adapted_cases", "predict_segmentations")} <= experiment

    nodes = {node["id"]: node for node in main["nodes"]}
    task_to_task = [(nodes[e["source"]]["full_name"], nodes[e["target"]]["full_name"]) for e in main["edges"]
                    if nodes[e["source"]]["type"] == "task" and nodes[e["target"]]["type"] == "task"]
    assert not task_to_task, "nodes wait only on datasets"
    edges = _data_to_task_edges(main)
    missing = [(dataset, task) for dataset, readers in HAND_OFFS.items() for task in readers
               if (dataset, task) not in edges]
    assert not missing, f"hand-offs that are not dataset edges: {missing}"
    data_names = {node["name"] for node in main["nodes"] if node["type"] == "data"}
    folds = {f"{arm}.nnunet_fold_{slot}" for arm in ("source_model", "oracle", "tutorship") for slot in SLOTS}
    assert folds <= data_names

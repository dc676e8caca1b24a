"""Wiring of the data_engineering pipeline (see nodes.py for what each step does)."""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_source_dataset, export_target_dataset
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    make_phantoms,
    plan_tiles_to_translate,
    split_syndiff_sources,
)
from axondeepsynth.pipelines.data_engineering.target_regions import cut_target_regions


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
        Node(make_phantoms, ["params:phantoms", "params:inputs.generate_phantoms"], "phantoms",
             name="generate_phantoms"),
        Node(cut_target_regions, ["phantoms", "params:inputs"], "target_regions", name="cut_target_regions"),
        Node(discover_sources, ["phantoms", "params:inputs", "target_regions", "params:data_engineering"],
             "discovered_sources",
             name="discover_sources"),
        Node(split_syndiff_sources, ["discovered_sources", "params:data_engineering"],
             ["syndiff_train", "syndiff_val", "syndiff_test", "syndiff_paired", "data_engineering_metrics"],
             name="split_syndiff_sources"),
        Node(plan_tiles_to_translate, ["discovered_sources", "params:data_engineering"], "tiles_to_translate",
             name="plan_tiles_to_translate"),
        Node(export_source_dataset, ["discovered_sources", "params:nnunet_export"], "source_nnunet_raw",
             name="export_source_dataset"),
        Node(export_target_dataset, ["discovered_sources", "params:inputs", "params:nnunet_export"],
             "target_nnunet_raw", name="export_target_dataset"),
    ])

"""Wiring of the data_engineering pipeline (see nodes.py for what each step does)."""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipeline_ordering import run_after
from axondeepsynth.pipelines.data_engineering.nnunet_export_nodes import export_nnunet_raw_dataset
from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    make_phantoms,
    plan_tiles_to_translate,
    split_syndiff_sources,
)


def _nnunet_export() -> Pipeline:
    """The labelled source dataset as nnU-Net raw data where ``segmentation`` looks for it."""
    export = Node(
        export_nnunet_raw_dataset,
        ["params:nnunet_export.source_dir", "params:nnunet_export", "params:segmentation.nnunet"],
        "nnunet_export_summary",
        name="export_nnunet_raw_dataset",
    )
    return run_after(Pipeline([export]), "export_nnunet_raw_dataset", ["phantoms"])


def create_pipeline(**kwargs) -> Pipeline:
    return _nnunet_export() + Pipeline(
        [
            Node(make_phantoms, "params:data_engineering.phantoms", "phantoms", name="generate_phantoms"),
            Node(
                discover_sources,
                ["phantoms", "params:data_engineering"],
                "discovered_sources",
                name="discover_sources",
            ),
            Node(
                split_syndiff_sources,
                ["discovered_sources", "params:data_engineering"],
                ["syndiff_train", "syndiff_val", "syndiff_test", "syndiff_paired"],
                name="split_syndiff_sources",
            ),
            Node(
                plan_tiles_to_translate,
                ["discovered_sources", "params:data_engineering"],
                "tiles_to_translate",
                name="plan_tiles_to_translate",
            ),
        ]
    )

"""Wiring of the data_engineering pipeline (see nodes.py for what each step does)."""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.data_engineering.nodes import (
    discover_sources,
    make_phantoms,
    plan_tiles_to_translate,
    split_syndiff_sources,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
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

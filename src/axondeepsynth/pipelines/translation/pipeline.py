"""Wiring of the translation pipeline: the tutorship and adaptation translations, each under its
arm's namespace (see nodes.py for what each step does).

The building blocks (:func:`tutorship_translation`, :func:`adaptation_translation`) have no
namespace; :func:`create_pipeline` puts them under ``tutorship`` and ``adaptation`` reading the
shared entries (``syndiff_model``, ``tiles_to_translate``, ``target_nnunet_raw``) and the one
``translation`` parameter block, exactly as the experiment does.
"""

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.arms import as_arm

from axondeepsynth.pipelines.translation.nodes import (
    measure_translation,
    plot_translation,
    translate_images,
    translate_tiles,
)

def _reporting(output: str) -> list[Node]:
    return [
        Node(measure_translation, [output, "params:inputs.paired"], "translation_metrics", name="measure_translation"),
        Node(plot_translation, [output, "params:inputs.paired", "params:translation"], "translation_figure",
             name="plot_translation"),
    ]


def tutorship_translation() -> Pipeline:
    """``syndiff_model`` + ``tiles_to_translate`` -> ``nnunet_raw`` (the synthetic labelled dataset)."""
    return Pipeline([
        Node(translate_tiles, ["syndiff_model", "tiles_to_translate", "params:translation"], "nnunet_raw",
             name="translate_tiles"),
        *_reporting("nnunet_raw"),
    ])


def adaptation_translation() -> Pipeline:
    """``syndiff_model`` + ``target_nnunet_raw`` (its imagesTs) -> ``translated_images``."""
    return Pipeline([
        Node(translate_images, ["syndiff_model", "target_nnunet_raw", "params:translation",
                                "params:inputs.working_pixel_size_um"], "translated_images", name="translate_images"),
        *_reporting("translated_images"),
    ])


def create_pipeline(**kwargs) -> Pipeline:
    shared = {"syndiff_model", "tiles_to_translate", "target_nnunet_raw"}
    tutorship, adaptation = tutorship_translation(), adaptation_translation()
    return (as_arm(tutorship, "tutorship", {name: name for name in shared & tutorship.inputs()})
            + as_arm(adaptation, "adaptation", {name: name for name in shared & adaptation.inputs()}))

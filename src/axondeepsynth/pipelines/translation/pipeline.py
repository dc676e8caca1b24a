"""Wiring of the translation pipeline: the tutorship and adaptation translations, each under its
arm's namespace (see nodes.py for what each step does).

The building blocks (:func:`tutorship_translation`, :func:`adaptation_translation`) have no
namespace; :func:`create_pipeline` puts them under ``tutorship`` and ``adaptation`` reading the
shared entries (``syndiff_model``, ``tiles_to_translate``, ``target_nnunet_raw``) and the one
``translation`` parameter block, exactly as the experiment does.
"""

from collections.abc import Callable
from functools import partial, update_wrapper

from kedro.pipeline import Node, Pipeline

from axondeepsynth.pipelines.arms import as_arm
from axondeepsynth.pipelines.translation.nodes import (
    Loader,
    measure_translation,
    plot_translation,
    translate_images,
    translate_tiles,
)
from axondeepsynth.translation.model_translation import load_model_translation


def _reporting(output: str) -> list[Node]:
    return [
        Node(measure_translation, [output, "params:inputs.paired"], ["translation_metrics", "translation_mlflow"],
             name="measure_translation"),
        Node(plot_translation, [output, "params:inputs.paired", "params:translation"], "translation_figure",
             name="plot_translation"),
    ]


def _with_loader(node_function: Callable, loader: Loader) -> Callable:
    """``node_function`` translating with ``loader``'s generators (the default: the diffusive ones)."""
    if loader is load_model_translation:
        return node_function
    return update_wrapper(partial(node_function, loader=loader), node_function)


def tutorship_translation(loader: Loader = load_model_translation) -> Pipeline:
    """``syndiff_model`` + ``tiles_to_translate`` (+ ``target_nnunet_raw``'s pixel size) -> ``nnunet_raw``
    (the synthetic labelled dataset)."""
    return Pipeline([
        Node(_with_loader(translate_tiles, loader), ["syndiff_model", "tiles_to_translate", "params:translation",
                                                     "target_nnunet_raw"], "nnunet_raw", name="translate_tiles"),
        *_reporting("nnunet_raw"),
    ])


def adaptation_translation(loader: Loader = load_model_translation) -> Pipeline:
    """``syndiff_model`` + ``target_nnunet_raw`` (its imagesTs) -> ``translated_images``."""
    return Pipeline([
        Node(_with_loader(translate_images, loader), ["syndiff_model", "target_nnunet_raw", "params:translation",
                                                      "params:inputs.working_pixel_size_um"],
             "translated_images", name="translate_images"),
        *_reporting("translated_images"),
    ])


def create_pipeline(**kwargs) -> Pipeline:
    shared = {"syndiff_model", "tiles_to_translate", "target_nnunet_raw"}
    tutorship, adaptation = tutorship_translation(), adaptation_translation()
    return (as_arm(tutorship, "tutorship", {name: name for name in shared & tutorship.inputs()})
            + as_arm(adaptation, "adaptation", {name: name for name in shared & adaptation.inputs()}))

"""Typed parameters: one pydantic model per block of ``conf/base/parameters_<block>.yml``.

Kedro 1.7 turns a ``params:<block>`` node input whose type hint is one of these models into a
validated object before any node runs; :func:`~axondeepsynth.parameters.blocks.check_parameters`
(called by the project's hook) also checks the top-level block names and the blocks a run does not
use. The YAML holds every default; the models hold none, so a key missing from the YAML is an error.
"""

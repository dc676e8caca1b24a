"""The error a user sees for a bad parameter: it names the key and the fix."""

from __future__ import annotations


class ParameterError(ValueError):
    """A parameter is unknown, missing or invalid; the message names it (``block.key``)."""

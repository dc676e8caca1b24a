"""What the phantom node returns when the user brings their own data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhantomsNotGenerated:
    """No phantom tree was written (``inputs.generate_phantoms`` is false, or none exists yet).

    The phantom node's output is an input of every node that reads ``inputs``, so on a fresh
    clone the phantoms exist before anything lists the input folders; with user data the same
    edge carries this record instead.
    """

    reason: str

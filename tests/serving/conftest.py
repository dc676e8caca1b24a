"""A small SynDiff checkpoint between sem and tem for the served models (untrained: the test compares
the served path with the same path run directly, not translation quality); the nnU-Net they serve is
the suite's few-second SEM model (``trained_fold_record`` in tests/conftest.py)."""

from __future__ import annotations

import pytest

SMALL_SYNDIFF = {"model": {"num_channels": 16, "ch_mult": [1, 2], "num_res_blocks": 1, "nz": 16, "z_emb_dim": 64,
                           "n_mlp": 1}}


@pytest.fixture(scope="session")
def small_syndiff(tmp_path_factory: pytest.TempPathFactory):
    """A small untrained SynDiff (64 px tiles) between sem (contrast1) and tem, epoch 3."""
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    return write_untrained_checkpoint(tmp_path_factory.mktemp("serving_syndiff"), "serve_exp", ("sem", "tem"),
                                      epochs=(3,), overrides=SMALL_SYNDIFF)

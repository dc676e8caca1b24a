"""Whole-image translation with a trained SynDiff: tiling, batched sampling, stitching, dataset writers (no Kedro)."""

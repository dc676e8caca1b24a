"""Image I/O, grayscale conversion, rescaling, tiling, stitching and source discovery (no torch, no kedro)."""

"""Segmentation quality and axon morphometrics: two label maps (0 background, 1 myelin, 2 axon) in, numbers out."""

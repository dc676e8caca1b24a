"""A thin layer over nnU-Net v2's Python API: paths from parameters, export, plan, train, predict.

Importing this package does not import ``nnunetv2``; each function sets nnU-Net's environment
first (see :mod:`axondeepsynth.nnunet.environment`) and imports ``nnunetv2`` inside itself.
"""

"""Kedro datasets the project had to write (h5py tile and image sets, phantoms, checkpoints).

Import each from its module (``axondeepsynth.datasets.tile_hdf5_dataset``...) so that loading one
does not import the dependencies of the others.
"""

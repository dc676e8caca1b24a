"""nnU-Net trainer variants of this project.

This folder is put on ``nnUNet_extTrainer`` (see :mod:`axondeepsynth.nnunet.environment`), so
nnU-Net's own lookup by class name finds these trainers when it rebuilds a network from a
checkpoint. Keep only trainer modules here: nnU-Net imports every module it finds in the folder.
"""

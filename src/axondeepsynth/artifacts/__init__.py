"""What the catalog's own datasets load and save: small handles and lazy payloads.

Nodes build payloads (a lazy translation, an export plan) and receive handles (an nnU-Net raw
dataset's folder and ``dataset.json``, a trained SynDiff); the datasets in
``axondeepsynth.datasets`` write and read them. Keeping these types here lets nodes use them
without importing any dataset.
"""

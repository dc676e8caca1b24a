"""nnU-Net v2 segmentation: plan, train each fold, predict, evaluate (``kedro run --pipeline segmentation``)."""

"""How far translated images are from real ones as a distribution: Kernel Inception Distance (KID).

KID (Binkowski et al. 2018) is the unbiased squared maximum mean discrepancy between two sets of
image features under a cubic polynomial kernel; unlike FID it is unbiased for the few dozen
images a microscopy experiment has. torchmetrics computes it
(:class:`torchmetrics.image.kid.KernelInceptionDistance`) with any feature extractor; Inception
weights would need a download and know nothing of micrographs, so the features here come from
the encoder of one of the project's own nnU-Nets (:class:`EncoderFeatures`): every encoder
stage's output averaged over space and concatenated, i.e. what a segmenter of this tissue finds
worth encoding, from edges to fibre layout.

Images of any size are compared through random square patches (:func:`random_patches`), so one
large micrograph gives many samples and both sets have a common shape.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torchmetrics.image.kid import KernelInceptionDistance


@dataclass(frozen=True)
class KidResult:
    """KID between two patch sets (dimensionless: squared MMD of features; 0 = same distribution).

    Attributes:
        mean, std: over ``subsets`` random subsets of ``subset_size`` patches per set.
        real_patches, other_patches: patches in each set.
    """

    mean: float
    std: float
    real_patches: int
    other_patches: int


class EncoderFeatures(nn.Module):
    """Features of (B, 1, H, W) uint8-valued patches from an nnU-Net network's encoder.

    Every encoder stage's output is averaged over space and the averages are concatenated into one
    (B, sum of stage widths) vector. Intensities are divided by 255, as nnU-Net's
    ``rescale_to_0_1`` normalisation does for images spanning the full uint8 range. Stages that
    would shrink the patch below 2 px on a side are left out: their instance norm cannot normalise
    one pixel, and a network planned for large images (8 stages for 512 px patches) would
    otherwise refuse the small KID patches.

    Args:
        network: an nnU-Net network (``nnUNetPredictor.network``; a ``torch.compile`` wrapper is
            unwrapped) whose ``encoder`` has ``stages`` and their ``strides`` (and a ``stem`` for
            residual encoders), as dynamic_network_architectures' encoders do.
    """

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self.encoder = getattr(network, "_orig_mod", network).encoder
        self.encoder.eval()

    @torch.inference_mode()
    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        parameter = next(self.encoder.parameters())
        x = patches.to(parameter.device, parameter.dtype) / 255.0
        if getattr(self.encoder, "stem", None) is not None:
            x = self.encoder.stem(x)
        pooled = []
        for stage, stride in zip(self.encoder.stages, self.encoder.strides, strict=True):
            if any(size // step < 2 for size, step in zip(x.shape[2:], stride, strict=True)):
                break
            x = stage(x)
            pooled.append(x.mean(dim=(-2, -1)))
        if not pooled:
            raise ValueError(f"KID patches of {tuple(patches.shape[2:])} px are too small for the encoder's first "
                             "stage; raise translation_checks.kid.patch_size.")
        return torch.cat(pooled, dim=1).float().cpu()


def random_patches(images: Iterable[np.ndarray], patch_size: int, per_image: int, seed: int = 0) -> np.ndarray:
    """``per_image`` random ``patch_size`` square crops of each 2-D uint8 image -> (N, 1, p, p) uint8.

    Images smaller than a patch are skipped; the crops are drawn from ``np.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    patches = []
    for image in images:
        height, width = image.shape
        if height < patch_size or width < patch_size:
            continue
        ys = rng.integers(0, height - patch_size + 1, per_image)
        xs = rng.integers(0, width - patch_size + 1, per_image)
        patches.extend(image[y : y + patch_size, x : x + patch_size] for y, x in zip(ys, xs))
    if not patches:
        raise ValueError(f"no image is at least {patch_size} px on each side; lower the KID patch_size.")
    return np.stack(patches)[:, None]


def _feed(metric: KernelInceptionDistance, patches: np.ndarray, real: bool, batch_size: int) -> None:
    for start in range(0, len(patches), batch_size):
        metric.update(torch.from_numpy(patches[start : start + batch_size].astype(np.float32)), real=real)


def kernel_inception_distance(real: np.ndarray, other: np.ndarray, features: nn.Module,
                              subsets: int = 50, subset_size: int | None = None, seed: int = 0,
                              batch_size: int = 64) -> KidResult:
    """KID between patch sets ``real`` and ``other`` ((N, 1, p, p) uint8, see :func:`random_patches`).

    Args:
        features: maps (B, 1, p, p) float patches (0-255) to (B, F) features, e.g. :class:`EncoderFeatures`.
        subsets: random subsets the MMD is averaged over.
        subset_size: patches per subset and set; None: the smaller set's size.
        seed: seeds the subset draws (torch's global generator is restored afterwards).
    """
    size = min(len(real), len(other)) if subset_size is None else subset_size
    if size < 2 or size > min(len(real), len(other)):
        smaller = min(len(real), len(other))
        raise ValueError(f"KID subset_size {size} must be between 2 and the smaller set's {smaller} patches.")
    with warnings.catch_warnings():  # it warns that it keeps every feature: a few thousand patches here
        warnings.filterwarnings("ignore", message=".*will save all extracted features.*")
        metric = KernelInceptionDistance(feature=features, subsets=subsets, subset_size=size)
    _feed(metric, real, True, batch_size)
    _feed(metric, other, False, batch_size)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        mean, std = metric.compute()
    return KidResult(float(mean), float(std), len(real), len(other))


def kid_between_images(real_images: Sequence[np.ndarray], other_images: Sequence[np.ndarray], features: nn.Module,
                       patch_size: int = 64, patches_per_image: int = 32, seed: int = 0,
                       subsets: int = 50) -> KidResult:
    """KID between two sets of whole uint8 images through ``patches_per_image`` random patches each."""
    return kernel_inception_distance(random_patches(real_images, patch_size, patches_per_image, seed),
                                     random_patches(other_images, patch_size, patches_per_image, seed + 1),
                                     features, subsets=subsets, seed=seed)

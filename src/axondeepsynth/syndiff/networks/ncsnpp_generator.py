"""The diffusive generator of SynDiff: an NCSN++ U-Net predicting x0 from x_{t+1}, t and z."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.config import ModelConfig
from axondeepsynth.syndiff.networks.adagn_residual_block import AdaGNResidualBlock
from axondeepsynth.syndiff.networks.adaptive_group_norm import GROUP_NORM_EPS, group_count
from axondeepsynth.syndiff.networks.attention import SelfAttention2d
from axondeepsynth.syndiff.networks.embeddings import LatentMapping, TimestepEmbedding
from axondeepsynth.syndiff.networks.fir_resampling import FirDownsampleConv
from axondeepsynth.syndiff.networks.initialisation import scaled_conv2d

logger = logging.getLogger(__name__)

INPUT_CHANNELS = 2
OUTPUT_CHANNELS = 1
MIDDLE_ATTENTION_WARN_SIDE = 64
"""Side (pixels) of the coarsest feature map above which its full self-attention gets costly."""


@dataclass(frozen=True)
class _LevelPlan:
    """Channels and attention of one U-Net resolution level."""

    channels: int
    resolution: int
    attention: bool


class _EncoderLevel(nn.Module):
    """Residual blocks (each optionally followed by attention), then a downsampling block and
    the input-pyramid projection, except at the coarsest level."""

    def __init__(self, blocks: list[AdaGNResidualBlock], attentions: list[nn.Module],
                 downsample: AdaGNResidualBlock | None,
                 pyramid: FirDownsampleConv | None) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.attentions = nn.ModuleList(attentions)
        self.downsample = downsample
        self.pyramid = pyramid


class _DecoderLevel(nn.Module):
    """num_res_blocks + 1 residual blocks eating skips, optional attention, then upsampling."""

    def __init__(self, blocks: list[AdaGNResidualBlock], attention: nn.Module | None,
                 upsample: AdaGNResidualBlock | None) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.attention = attention
        self.upsample = upsample


class NCSNppGenerator(nn.Module):
    """NCSN++ with adaptive group norm (DDGAN/SynDiff diffusive generator), one per direction.

    Input: the noisy target x_{t+1} and the source-modality image, concatenated as
    (B, 2, H, W) in [-1, 1]; the diffusion step t (B,) int64 in [0, num_timesteps); the latent
    z (B, nz) ~ N(0, I). Output: the predicted clean target x0, (B, 1, H, W) in (-1, 1) (tanh).
    Architecture: BigGAN residual blocks with FIR resampling, `num_res_blocks` per level and
    `len(ch_mult)` levels, self-attention at levels whose side equals an entry of
    `attn_resolutions` and in the middle, a residual input pyramid, skip rescaling by 1/sqrt(2).
    H and W must be multiples of 2**(len(ch_mult) - 1); attention levels are fixed at
    construction from `config.image_size`.
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.size_multiple = 2 ** (config.generator_levels - 1)
        nf = config.num_channels
        temb_dim = 4 * nf
        self.time_embedding = TimestepEmbedding(nf, temb_dim, nn.SiLU(), init_mode="fan_avg")
        self.latent_mapping = LatentMapping(config.nz, config.z_emb_dim, config.n_mlp)

        def block(in_ch: int, out_ch: int, resample: str = "none") -> AdaGNResidualBlock:
            return AdaGNResidualBlock(
                in_ch, out_ch, temb_dim=temb_dim, zemb_dim=config.z_emb_dim,
                resample=resample, fir_kernel=config.fir_kernel, dropout=config.dropout,
                skip_rescale=config.skip_rescale,
                adaptive_second_norm=config.resblock_type == "biggan")

        def attention(channels: int) -> SelfAttention2d:
            return SelfAttention2d(channels, skip_rescale=config.skip_rescale)

        plans = [_LevelPlan(nf * mult, config.image_size // 2**i,
                            config.image_size // 2**i in config.attn_resolutions)
                 for i, mult in enumerate(config.ch_mult)]
        self.input_conv = scaled_conv2d(INPUT_CHANNELS, nf, 3)
        skip_channels = [nf]
        channels, pyramid_channels = nf, INPUT_CHANNELS
        encoder = []
        for index, plan in enumerate(plans):
            blocks, attentions = [], []
            for _ in range(config.num_res_blocks):
                blocks.append(block(channels, plan.channels))
                attentions.append(attention(plan.channels) if plan.attention else nn.Identity())
                channels = plan.channels
                skip_channels.append(channels)
            downsample = pyramid = None
            if index < len(plans) - 1:
                downsample = block(channels, channels, "down")
                pyramid = FirDownsampleConv(pyramid_channels, channels, config.fir_kernel)
                pyramid_channels = channels
                skip_channels.append(channels)
            encoder.append(_EncoderLevel(blocks, attentions, downsample, pyramid))
        self.encoder = nn.ModuleList(encoder)

        middle_side = plans[-1].resolution
        if middle_side > MIDDLE_ATTENTION_WARN_SIDE:
            logger.warning(
                "the middle self-attention of the diffusive generator runs on %dx%d px feature "
                "maps (%d tokens): slow and memory-hungry; add ch_mult levels for %d px tiles",
                middle_side, middle_side, middle_side**2, config.image_size)
        self.middle_block_0 = block(channels, channels)
        self.middle_attention = attention(channels)
        self.middle_block_1 = block(channels, channels)

        decoder = []
        for index in reversed(range(len(plans))):
            plan = plans[index]
            blocks = []
            for _ in range(config.num_res_blocks + 1):
                blocks.append(block(channels + skip_channels.pop(), plan.channels))
                channels = plan.channels
            decoder.append(_DecoderLevel(blocks,
                                         attention(channels) if plan.attention else None,
                                         block(channels, channels, "up") if index else None))
        self.decoder = nn.ModuleList(decoder)

        self.output_norm = nn.GroupNorm(group_count(channels), channels, eps=GROUP_NORM_EPS)
        self.output_conv = scaled_conv2d(channels, OUTPUT_CHANNELS, 3, init_scale=0.0)
        self.residual_scale = 1 / math.sqrt(2.0) if config.skip_rescale else 1.0
        logger.debug("NCSNppGenerator: %d parameters, attention at %s px",
                     sum(p.numel() for p in self.parameters()),
                     [p.resolution for p in plans if p.attention])

    @classmethod
    def from_config(cls, config: ModelConfig) -> NCSNppGenerator:
        return cls(config)

    def _check_inputs(self, x: torch.Tensor, t: torch.Tensor, z: torch.Tensor) -> None:
        if x.dim() != 4 or x.shape[1] != INPUT_CHANNELS:
            raise ValueError(f"x must be (B, {INPUT_CHANNELS}, H, W) = (x_t+1, source), got "
                             f"{tuple(x.shape)}")
        height, width = x.shape[-2:]
        if height % self.size_multiple or width % self.size_multiple:
            raise ValueError(
                f"x is {height}x{width} px, but ch_mult {list(self.config.ch_mult)} needs "
                f"H and W to be multiples of {self.size_multiple}; pad or crop the tiles")
        if t.shape != (x.shape[0],):
            raise ValueError(f"t must be ({x.shape[0]},) step indices, got {tuple(t.shape)}")
        if z.shape != (x.shape[0], self.config.nz):
            raise ValueError(f"z must be ({x.shape[0]}, {self.config.nz}), got {tuple(z.shape)}")

    def forward(self, x: torch.Tensor, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """(B, 2, H, W), (B,), (B, nz) -> x0 prediction (B, 1, H, W) in (-1, 1)."""
        self._check_inputs(x, t, z)
        temb = F.silu(self.time_embedding(t))
        zemb = self.latent_mapping(z)

        pyramid = x
        h = self.input_conv(x)
        skips = [h]
        for level in self.encoder:
            for block, attention in zip(level.blocks, level.attentions):
                h = attention(block(h, temb, zemb))
                skips.append(h)
            if level.downsample is not None:
                h = level.downsample(h, temb, zemb)
                pyramid = (level.pyramid(pyramid) + h) * self.residual_scale
                h = pyramid
                skips.append(h)

        h = self.middle_block_0(h, temb, zemb)
        h = self.middle_block_1(self.middle_attention(h), temb, zemb)

        for level in self.decoder:
            for block in level.blocks:
                h = block(torch.cat([h, skips.pop()], dim=1), temb, zemb)
            if level.attention is not None:
                h = level.attention(h)
            if level.upsample is not None:
                h = level.upsample(h, temb, zemb)

        h = self.output_conv(F.silu(self.output_norm(h)))
        return torch.tanh(h)

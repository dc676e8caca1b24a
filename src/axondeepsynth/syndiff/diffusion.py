"""The variance-preserving diffusion of SynDiff with few, large steps (T = 4 by default).

SynDiff does not learn a noise predictor: a generator predicts x0 from x_{t+1} in one shot and
the posterior q(x_t | x_{t+1}, x0) takes the chain one step back. This module holds the fixed
coefficients of that chain and the three operations built on them: drawing a training pair
(x_t, x_{t+1}) from a clean image, one posterior step, and the full reverse chain from pure
noise. Images are float tensors in [-1, 1], shaped (B, C, H, W); time indices are int64 (B,).

The discretisation follows the original SynDiff/DD-GAN code: T + 1 continuous times
``s_k = eps + (1 - eps) k / T`` (eps = 1e-3) on the VP SDE with a linear beta(s) from
``beta_min`` to ``beta_max`` (or, with ``use_geometric``, the original's geometric marginal
variance ``beta_min (beta_max / beta_min)^s``), per-step betas from ratios of the marginal signal
levels, and a
negligible first element beta_0 = 1e-8 so that the forward marginals have T + 1 entries while
the posterior uses the T real steps only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import torch

logger = logging.getLogger(__name__)

FIRST_BETA = 1e-8
"""beta of the dummy step 0: the forward marginal at t = 0 is the clean image (to 1e-4)."""

TIME_EPSILON = 1e-3
"""Smallest continuous time of the VP SDE, as in the original, to keep beta_1 away from 0."""

POSTERIOR_LOG_VARIANCE_FLOOR = 1e-20
"""The posterior variance of the last step (t = 0) is 0; its log is clipped at log(1e-20)."""

GeneratorFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
"""A diffusive generator: (cat[x_{t+1}, source] (B,2,H,W), t (B,), z (B,nz)) -> x0 (B,1,H,W)."""


def vp_signal_level(s: torch.Tensor, beta_min: float, beta_max: float) -> torch.Tensor:
    """Marginal alpha_bar(s) = exp(-∫0^s beta) of the VP SDE with linear beta, s in [0, 1]."""
    return torch.exp(-0.5 * s**2 * (beta_max - beta_min) - s * beta_min)


def geometric_signal_level(s: torch.Tensor, beta_min: float, beta_max: float) -> torch.Tensor:
    """Marginal alpha_bar(s) = 1 - beta_min (beta_max / beta_min)^s of the original's geometric
    schedule (``use_geometric``); positive only while beta_max < 1."""
    return 1.0 - beta_min * (beta_max / beta_min) ** s


def vp_step_betas(num_timesteps: int, beta_min: float, beta_max: float, geometric: bool = False) -> torch.Tensor:
    """float64 betas of length T + 1: the dummy beta_0 then one beta per discrete step 1..T
    (of the geometric schedule when ``geometric``)."""
    if num_timesteps < 1:
        raise ValueError(f"num_timesteps must be at least 1, got {num_timesteps}.")
    steps = torch.arange(num_timesteps + 1, dtype=torch.float64) / num_timesteps
    times = steps * (1.0 - TIME_EPSILON) + TIME_EPSILON
    signal = (geometric_signal_level if geometric else vp_signal_level)(times, beta_min, beta_max)
    if not bool((signal > 0).all()):
        raise ValueError(f"beta_min {beta_min} / beta_max {beta_max} give a noise variance above 1 "
                         "(geometric schedules need beta_max < 1).")
    step_betas = 1.0 - signal[1:] / signal[:-1]
    return torch.cat([torch.tensor([FIRST_BETA], dtype=torch.float64), step_betas])


def _gather(coefficients: torch.Tensor, t: torch.Tensor, ndim: int) -> torch.Tensor:
    """coefficients[t] reshaped to (B, 1, 1, ...) so it broadcasts over an ndim-D image batch."""
    return coefficients.gather(0, t).reshape(-1, *([1] * (ndim - 1)))


def standard_normal_like(
    reference: torch.Tensor, rng: torch.Generator | None = None, shape: tuple[int, ...] | None = None
) -> torch.Tensor:
    """N(0, I) noise with ``reference``'s dtype and device (and shape unless ``shape`` is given).

    With ``rng`` the draw is made on the generator's device and moved, so a CPU generator gives the
    same numbers whatever device the model runs on.
    """
    size = tuple(reference.shape) if shape is None else shape
    if rng is None:
        return torch.randn(size, dtype=reference.dtype, device=reference.device)
    noise = torch.randn(size, dtype=reference.dtype, device=rng.device, generator=rng)
    return noise.to(reference.device)


@dataclass(frozen=True)
class ChainNoise:
    """Every random draw of one reverse chain (:meth:`DiffusionSchedule.reverse_chain`), made
    before its first step, so that callers can share draws between samples (every tile of an
    image, :mod:`axondeepsynth.translation.shared_noise_sampling`).

    Attributes:
        start: x_T, (B, 1, H, W).
        latents: the generator's latent z at each step t, (T, B, nz).
        posterior: the posterior noise of each step t, (T, B, 1, H, W) (step 0 adds none).
    """

    start: torch.Tensor
    latents: torch.Tensor
    posterior: torch.Tensor

    @classmethod
    def draw(cls, source: torch.Tensor, num_timesteps: int, latent_dim: int,
             rng: torch.Generator | None = None) -> ChainNoise:
        """x_T, then the z of every step, then the posterior noise of every step, in that order, for
        a (B, 1, H, W) ``source`` (its dtype and device; drawn from ``rng`` when given, see
        :func:`standard_normal_like`)."""
        batch = source.shape[0]
        return cls(
            start=standard_normal_like(source, rng),
            latents=standard_normal_like(source, rng, shape=(num_timesteps, batch, latent_dim)),
            posterior=standard_normal_like(source, rng, shape=(num_timesteps, *source.shape)),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[ChainNoise]) -> ChainNoise:
        """The draws of several batches as one batch, in order."""
        return cls(torch.cat([p.start for p in parts]), torch.cat([p.latents for p in parts], dim=1),
                   torch.cat([p.posterior for p in parts], dim=1))

    def select(self, index: torch.Tensor, device: torch.device | str) -> ChainNoise:
        """The draws of samples ``index`` (int64, repeats allowed) on ``device``, one copy each."""
        return ChainNoise(self.start[index].to(device, non_blocking=True),
                          self.latents[:, index].to(device, non_blocking=True),
                          self.posterior[:, index].to(device, non_blocking=True))


@dataclass(frozen=True)
class DiffusionSchedule:
    """Fixed float32 coefficients of the forward chain and of its posterior.

    Forward (length T + 1, index k = 0..T): ``a_s[k] = sqrt(1 - beta_k)``, ``sigmas[k] =
    sqrt(beta_k)``, and the marginals ``a_s_cum[k] = prod_{j<=k} a_s[j]``, ``sigmas_cum[k] =
    sqrt(1 - a_s_cum[k]^2)``. Posterior (length T, index t = 0..T-1 for the step t+1 -> t):
    ``x_t | x_{t+1}, x0 ~ N(coef_x0[t] x0 + coef_xt[t] x_{t+1}, variance[t])``.
    """

    num_timesteps: int
    a_s: torch.Tensor
    sigmas: torch.Tensor
    a_s_cum: torch.Tensor
    sigmas_cum: torch.Tensor
    posterior_coef_x0: torch.Tensor
    posterior_coef_xt: torch.Tensor
    posterior_variance: torch.Tensor
    posterior_log_variance: torch.Tensor

    @classmethod
    def vp(
        cls, num_timesteps: int = 4, beta_min: float = 0.1, beta_max: float = 20.0,
        device: torch.device | str = "cpu", geometric: bool = False,
    ) -> DiffusionSchedule:
        """Build the VP schedule, or the geometric one (computed in float64, stored float32 on
        ``device``)."""
        betas = vp_step_betas(num_timesteps, beta_min, beta_max, geometric)
        a_s = torch.sqrt(1.0 - betas)
        a_s_cum = torch.cumprod(a_s, 0)
        step_betas = betas[1:]
        alphas_cumprod = torch.cumprod(1.0 - step_betas, 0)
        alphas_cumprod_prev = torch.cat([torch.ones(1, dtype=torch.float64), alphas_cumprod[:-1]])
        variance = step_betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
        coefficients = {
            "a_s": a_s,
            "sigmas": torch.sqrt(betas),
            "a_s_cum": a_s_cum,
            "sigmas_cum": torch.sqrt(1.0 - a_s_cum**2),
            "posterior_coef_x0": step_betas * torch.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod),
            "posterior_coef_xt": (1.0 - alphas_cumprod_prev) * torch.sqrt(1.0 - step_betas)
            / (1.0 - alphas_cumprod),
            "posterior_variance": variance,
            "posterior_log_variance": torch.log(variance.clamp(min=POSTERIOR_LOG_VARIANCE_FLOOR)),
        }
        return cls(
            num_timesteps=num_timesteps,
            **{name: value.to(device=device, dtype=torch.float32) for name, value in coefficients.items()},
        )

    @classmethod
    def from_config(cls, config: object, device: torch.device | str = "cpu") -> DiffusionSchedule:
        """Build from any object with ``num_timesteps``, ``beta_min``, ``beta_max`` and
        optionally ``use_geometric`` (the project's ``DiffusionConfig``)."""
        return cls.vp(config.num_timesteps, config.beta_min, config.beta_max, device=device,
                      geometric=bool(getattr(config, "use_geometric", False)))

    def to(self, device: torch.device | str) -> DiffusionSchedule:
        """The same schedule with every coefficient on ``device``."""
        moved = {
            f.name: getattr(self, f.name).to(device)
            for f in fields(self)
            if isinstance(getattr(self, f.name), torch.Tensor)
        }
        return DiffusionSchedule(num_timesteps=self.num_timesteps, **moved)

    def sample_timesteps(self, batch_size: int, device: torch.device | str) -> torch.Tensor:
        """Uniform training step indices t in [0, T - 1] (the pair is then (x_t, x_{t+1}))."""
        return torch.randint(0, self.num_timesteps, (batch_size,), device=device)

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """Draw x_t ~ q(x_t | x0) = N(a_s_cum[t] x0, sigmas_cum[t]^2), t in [0, T]."""
        noise = standard_normal_like(x0) if noise is None else noise
        return _gather(self.a_s_cum, t, x0.ndim) * x0 + _gather(self.sigmas_cum, t, x0.ndim) * noise

    def q_sample_pairs(self, x0: torch.Tensor, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw the training pair (x_t, x_{t+1}): x_t from the marginal, then one forward step."""
        x_t = self.q_sample(x0, t)
        x_tp1 = _gather(self.a_s, t + 1, x0.ndim) * x_t + _gather(self.sigmas, t + 1, x0.ndim) * (
            standard_normal_like(x0)
        )
        return x_t, x_tp1

    def posterior_mean_variance(
        self, x0: torch.Tensor, x_tp1: torch.Tensor, t: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Mean, variance and clipped log-variance of q(x_t | x_{t+1}, x0)."""
        ndim = x_tp1.ndim
        mean = _gather(self.posterior_coef_x0, t, ndim) * x0 + _gather(self.posterior_coef_xt, t, ndim) * x_tp1
        return mean, _gather(self.posterior_variance, t, ndim), _gather(self.posterior_log_variance, t, ndim)

    def sample_posterior(
        self, x0: torch.Tensor, x_tp1: torch.Tensor, t: torch.Tensor, rng: torch.Generator | None = None
    ) -> torch.Tensor:
        """Draw x_t ~ q(x_t | x_{t+1}, x0); at t = 0 the mean itself (no noise) is returned."""
        mean, _, log_variance = self.posterior_mean_variance(x0, x_tp1, t)
        keep_noise = (t != 0).to(mean.dtype).reshape(-1, *([1] * (mean.ndim - 1)))
        return mean + keep_noise * torch.exp(0.5 * log_variance) * standard_normal_like(x_tp1, rng)

    def reverse_chain(self, generator: GeneratorFn, source: torch.Tensor, noise: ChainNoise) -> torch.Tensor:
        """Run the reverse chain from ``noise.start`` (x_T): T generator + posterior steps to x_0,
        every random term taken from ``noise`` (the last step adds none).

        Args:
            generator: diffusive generator of the wanted output modality.
            source: (B, 1, H, W) image of the other modality in [-1, 1] (the condition).
            noise: the chain's draws for this batch, on ``source``'s device.

        Returns the (B, 1, H, W) translation in [-1, 1]. Gradients are not tracked.
        """
        batch = source.shape[0]
        x = noise.start
        with torch.no_grad():
            for step in reversed(range(self.num_timesteps)):
                t = torch.full((batch,), step, dtype=torch.int64, device=source.device)
                x0 = generator(torch.cat([x, source], dim=1), t, noise.latents[step])[:, :1]
                mean, _, log_variance = self.posterior_mean_variance(x0, x, t)
                x = mean if step == 0 else mean + torch.exp(0.5 * log_variance) * noise.posterior[step]
        return x

    def sample_from_model(
        self, generator: GeneratorFn, source: torch.Tensor, latent_dim: int,
        rng: torch.Generator | None = None,
    ) -> torch.Tensor:
        """:meth:`reverse_chain` from noise drawn for the whole batch (:meth:`ChainNoise.draw`).

        Args:
            generator: diffusive generator of the wanted output modality.
            source: (B, 1, H, W) image of the other modality in [-1, 1] (the condition).
            latent_dim: size of the latent z drawn per sample and per step.
            rng: optional generator for every random draw (x_T, z, posterior noise), which makes
                the result a function of its seed.

        Returns the (B, 1, H, W) translation in [-1, 1]. Gradients are not tracked.
        """
        return self.reverse_chain(generator, source, ChainNoise.draw(source, self.num_timesteps, latent_dim, rng))

"""The VP schedule and its posterior against closed forms, and the reverse chain's contract."""

from __future__ import annotations

import math

import pytest
import torch

from axondeepsynth.syndiff.diffusion import (
    FIRST_BETA,
    TIME_EPSILON,
    DiffusionSchedule,
    vp_step_betas,
)

T, BETA_MIN, BETA_MAX = 4, 0.1, 20.0


@pytest.fixture(scope="module")
def schedule() -> DiffusionSchedule:
    return DiffusionSchedule.vp(T, BETA_MIN, BETA_MAX)


def _closed_form_signal(k: int) -> float:
    """alpha_bar at discrete time k: exp(-∫beta) of the linear-beta VP SDE at s_k."""
    s = TIME_EPSILON + (1 - TIME_EPSILON) * k / T
    return math.exp(-(BETA_MIN * s + 0.5 * (BETA_MAX - BETA_MIN) * s**2))


def test_forward_marginals_match_the_vp_sde(schedule: DiffusionSchedule) -> None:
    # a_s_cum[k]^2 is the SDE's signal level at s_k relative to s_0 (times the dummy first step).
    for k in range(T + 1):
        expected = (1 - FIRST_BETA) * _closed_form_signal(k) / _closed_form_signal(0)
        assert schedule.a_s_cum[k].item() ** 2 == pytest.approx(expected, rel=1e-5)
        assert schedule.sigmas_cum[k].item() ** 2 == pytest.approx(1 - expected, abs=1e-6)
    # x_T is close to pure noise; x_0 is the clean image.
    assert schedule.sigmas_cum[T].item() > 0.9999
    assert schedule.a_s_cum[0].item() == pytest.approx(1.0, abs=1e-7)


def test_step_betas_compose_to_the_marginals(schedule: DiffusionSchedule) -> None:
    betas = vp_step_betas(T, BETA_MIN, BETA_MAX)
    assert betas.shape == (T + 1,) and betas[0].item() == FIRST_BETA
    assert torch.all((betas[1:] > 0) & (betas[1:] < 1))
    torch.testing.assert_close(schedule.a_s**2 + schedule.sigmas**2, torch.ones(T + 1))


def test_posterior_is_the_gaussian_conditional_of_the_forward_chain(schedule: DiffusionSchedule) -> None:
    # x_t | x0 ~ N(m x0, v) and x_{t+1} = a x_t + sigma e give, by Gaussian conditioning,
    # x_t | x_{t+1}, x0 ~ N(m x0 + g (x_{t+1} - a m x0), v sigma^2 / (a^2 v + sigma^2)) with
    # g = a v / (a^2 v + sigma^2).  The posterior ignores the 1e-8 dummy step, hence rel=1e-4.
    for t in range(T):
        m, v = schedule.a_s_cum[t].item(), schedule.sigmas_cum[t].item() ** 2
        a, s2 = schedule.a_s[t + 1].item(), schedule.sigmas[t + 1].item() ** 2
        gain = a * v / (a * a * v + s2)
        assert schedule.posterior_coef_xt[t].item() == pytest.approx(gain, rel=1e-4, abs=1e-6)
        assert schedule.posterior_coef_x0[t].item() == pytest.approx(m - gain * a * m, rel=1e-4, abs=1e-6)
        assert schedule.posterior_variance[t].item() == pytest.approx(v * s2 / (a * a * v + s2), rel=1e-4, abs=1e-7)


def test_q_sample_pairs_have_the_forward_statistics(schedule: DiffusionSchedule) -> None:
    torch.manual_seed(0)
    n = 200_000
    x0 = torch.full((n, 1, 1, 1), 0.6)
    for step in range(T):
        t = torch.full((n,), step, dtype=torch.int64)
        x_t, x_tp1 = schedule.q_sample_pairs(x0, t)
        for k, x in ((step, x_t), (step + 1, x_tp1)):
            assert x.mean().item() == pytest.approx(0.6 * schedule.a_s_cum[k].item(), abs=0.01)
            assert x.std().item() == pytest.approx(schedule.sigmas_cum[k].item(), abs=0.01)


def test_last_posterior_step_returns_the_prediction_exactly(schedule: DiffusionSchedule) -> None:
    x0 = torch.rand(3, 1, 8, 8) * 2 - 1
    x1 = torch.randn(3, 1, 8, 8)
    out = schedule.sample_posterior(x0, x1, torch.zeros(3, dtype=torch.int64))
    torch.testing.assert_close(out, x0, atol=1e-6, rtol=0)


def test_reverse_chain_is_seeded_and_calls_every_step(schedule: DiffusionSchedule) -> None:
    source = torch.rand(2, 1, 16, 16) * 2 - 1
    seen_steps = []

    def latent_dependent_generator(x: torch.Tensor, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        seen_steps.append(int(t[0]))
        assert x.shape == (2, 2, 16, 16) and z.shape == (2, 5)
        return torch.tanh(x[:, 1:] + z[:, :1, None, None])

    def run(seed: int) -> torch.Tensor:
        return schedule.sample_from_model(latent_dependent_generator, source, 5, torch.Generator().manual_seed(seed))

    first, again, other = run(3), run(3), run(4)
    assert seen_steps[:T] == [3, 2, 1, 0]
    torch.testing.assert_close(first, again, rtol=0, atol=0)
    assert not torch.equal(first, other)
    assert first.abs().max() <= 1.0


def test_geometric_schedule_follows_the_originals_variance() -> None:
    from axondeepsynth.syndiff.config import ConfigError, DiffusionConfig

    config = DiffusionConfig(use_geometric=True, beta_min=0.01, beta_max=0.9)
    geometric = DiffusionSchedule.from_config(config)
    for k in range(T + 1):
        s = TIME_EPSILON + (1 - TIME_EPSILON) * k / T
        expected = (1 - FIRST_BETA) * (1 - 0.01 * 90**s) / (1 - 0.01 * 90**TIME_EPSILON)
        assert geometric.a_s_cum[k].item() ** 2 == pytest.approx(expected, rel=1e-5)
    vp = DiffusionSchedule.from_config(DiffusionConfig(beta_min=0.01, beta_max=0.9))
    assert not torch.allclose(geometric.a_s_cum, vp.a_s_cum)
    with pytest.raises(ConfigError, match="use_geometric needs beta_max < 1"):
        DiffusionConfig(use_geometric=True)  # the VP defaults (0.1, 20) would give a variance of 20

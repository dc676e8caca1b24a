"""One SynDiff training step and the state it carries between steps (optimisers, EMA, schedules).

A step trains both translation directions with the losses of Özbey et al. (the original
SynDiff ``train.py``), in three updates:

1. diffusive discriminators: softplus real/fake on (x_t, x_{t+1}) pairs, plus the R1 penalty
   (gamma / 2 * |grad_x_t D|^2) every ``lazy_reg`` steps;
2. non-diffusive (PatchGAN) discriminators: softplus real/fake on whole crops;
3. generators: adversarial terms of both discriminator kinds, ``lambda_l1_cycle`` x the cycle
   L1 through the non-diffusive pair, and ``lambda_l1_diffusive`` x the L1 of the diffusive
   reconstruction (source -> non-diffusive -> other modality -> diffusive back to the source).

Speed, with the same losses and updates as the original: the generators run forward once per
step under autograd; the discriminator updates use detached copies of those fakes (the
original re-ran every generator for each discriminator update and back-propagated the
discriminator loss through them, only to discard those gradients), and the generator update
scores the same fakes with the freshly updated discriminators. The generator loss therefore
sees the t, noise and z of the discriminator step instead of an independent draw; each draw has
the original's distribution. Both directions are one method called with the roles swapped.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from axondeepsynth.syndiff.checkpoints import load_weights_strictly
from axondeepsynth.syndiff.config import SynDiffConfig
from axondeepsynth.syndiff.diffusion import DiffusionSchedule, standard_normal_like
from axondeepsynth.syndiff.distributed import DistributedContext
from axondeepsynth.syndiff.networks import SynDiffNetworks
from axondeepsynth.syndiff.precision import ComputeSettings

logger = logging.getLogger(__name__)

LOSS_NAMES = (
    "d_diffusive",
    "d_r1_penalty",
    "d_non_diffusive",
    "g_adv_diffusive",
    "g_adv_non_diffusive",
    "g_cycle_l1",
    "g_diffusive_l1",
    "g_total",
)
"""Keys of the per-step loss record, summed over both directions."""


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or infinite; training stops so no corrupted weights are saved."""


@dataclass(frozen=True)
class Direction:
    """Names (fields of :class:`SynDiffNetworks`) of the networks that produce modality a.

    ``a_to_b`` translates a real image of a into the other modality b, ``b_to_a`` goes back; the
    discriminators judge images of modality a.
    """

    diffusive: str
    a_to_b: str
    b_to_a: str
    disc_diffusive: str
    disc_non_diffusive: str


DIRECTIONS = (
    Direction("gen_diffusive_1", "gen_non_diffusive_1to2", "gen_non_diffusive_2to1",
              "disc_diffusive_1", "disc_non_diffusive_1"),
    Direction("gen_diffusive_2", "gen_non_diffusive_2to1", "gen_non_diffusive_1to2",
              "disc_diffusive_2", "disc_non_diffusive_2"),
)
"""Direction 1 produces contrast1 (trained on real contrast1 crops), direction 2 contrast2."""


@dataclass
class _Fakes:
    """Everything one direction's generators produced in a step (autograd graph attached)."""

    real: torch.Tensor
    t: torch.Tensor
    x_t: torch.Tensor
    x_tp1: torch.Tensor
    posterior_sample: torch.Tensor
    x0_diffusive: torch.Tensor
    cycle: torch.Tensor
    translated_from_other: torch.Tensor


def _parameters(modules: Iterable[nn.Module]) -> list[torch.Tensor]:
    return [p for module in modules for p in module.parameters()]


def _adam(params: list[torch.Tensor], lr: float, betas: tuple[float, float], device: torch.device) -> torch.optim.Adam:
    """Adam with the fused kernel where torch has one for this device (same maths, fewer passes)."""
    fused = device.type in ("cpu", "cuda")
    return torch.optim.Adam(params, lr=lr, betas=betas, fused=fused)


class SynDiffTrainer:
    """Owns the optimisers, LR schedules and EMA copies of a SynDiff model and trains it.

    Args:
        networks: the eight networks (moved to ``context.device`` here).
        config: model, diffusion and optimisation settings.
        context: rank and device; with several ranks, weights start from rank 0's and
            gradients are averaged over ranks before every optimiser step.
        compute: bf16 autocast and NHWC layout of the forwards (default float32, contiguous);
            weights, gradients, losses, optimiser and EMA state are float32 in every case.
    """

    def __init__(
        self, networks: SynDiffNetworks, config: SynDiffConfig, context: DistributedContext | None = None,
        compute: ComputeSettings | None = None,
    ) -> None:
        self.context = context or DistributedContext(device=torch.device("cpu"))
        self.device = self.context.device
        self.config = config
        self.compute = compute or ComputeSettings()
        self.memory_format = self.compute.memory_format
        self.nets = {name: net.to(self.device, memory_format=self.memory_format) for name, net in networks.as_dict().items()}
        self.context.broadcast_modules(self.nets.values())
        self.schedule = DiffusionSchedule.from_config(config.diffusion, device=self.device)
        self.generator_names = [n for n in self.nets if n.startswith("gen_")]
        self.disc_diffusive_names = [d.disc_diffusive for d in DIRECTIONS]
        self.disc_non_diffusive_names = [d.disc_non_diffusive for d in DIRECTIONS]
        opt = config.optimization
        betas = (opt.beta1, opt.beta2)
        self.optimizers = {
            "generators": _adam(self._params(self.generator_names), opt.lr_g, betas, self.device),
            "disc_diffusive": _adam(self._params(self.disc_diffusive_names), opt.lr_d, betas, self.device),
            "disc_non_diffusive": _adam(self._params(self.disc_non_diffusive_names), opt.lr_d, betas, self.device),
        }
        self.schedulers = {
            name: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=opt.num_epochs, eta_min=opt.lr_min)
            for name, optimizer in self.optimizers.items()
        }
        self.ema = {name: copy.deepcopy(self.nets[name]).requires_grad_(False).eval() for name in self.generator_names}
        self.global_step = 0
        self.epoch = 0

    def _params(self, names: Iterable[str]) -> list[torch.Tensor]:
        return _parameters(self.nets[name] for name in names)

    def _generate(self, direction: Direction, real_a: torch.Tensor, a_to_b: torch.Tensor, b_to_a: torch.Tensor) -> _Fakes:
        """Forward pass of one direction's generators (autograd on)."""
        cycle = self.nets[direction.b_to_a](a_to_b).float()
        t = self.schedule.sample_timesteps(real_a.shape[0], self.device)
        x_t, x_tp1 = self.schedule.q_sample_pairs(real_a, t)
        z = standard_normal_like(real_a, shape=(real_a.shape[0], self.config.model.nz))
        x0 = self.nets[direction.diffusive](torch.cat([x_tp1, a_to_b], dim=1), t, z)[:, :1].float()
        posterior_sample = self.schedule.sample_posterior(x0, x_tp1, t)
        return _Fakes(real_a, t, x_t, x_tp1, posterior_sample, x0, cycle, b_to_a)

    def _step(self, optimizer_name: str, names: list[str], loss: torch.Tensor) -> None:
        """Backward ``loss``, average gradients over ranks, and update ``names``' weights."""
        optimizer = self.optimizers[optimizer_name]
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.context.average_gradients(self._params(names))
        optimizer.step()

    def _discriminator_diffusive_loss(self, fakes: list[_Fakes], with_r1: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Softplus real/fake loss of both diffusive discriminators, and the R1 term (0 if off)."""
        loss = torch.zeros((), device=self.device)
        penalty = torch.zeros((), device=self.device)
        for direction, fake in zip(DIRECTIONS, fakes):
            disc = self.nets[direction.disc_diffusive]
            x_t = fake.x_t.detach().requires_grad_(with_r1)
            real_logits = disc(x_t, fake.t, fake.x_tp1).view(-1).float()
            fake_logits = disc(fake.posterior_sample.detach(), fake.t, fake.x_tp1).view(-1).float()
            loss = loss + F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
            if with_r1:
                (grad,) = torch.autograd.grad(real_logits.sum(), x_t, create_graph=True)
                penalty = penalty + grad.float().flatten(1).norm(2, dim=1).pow(2).mean()
        return loss, self.config.optimization.r1_gamma / 2 * penalty

    def _discriminator_non_diffusive_loss(self, fakes: list[_Fakes]) -> torch.Tensor:
        loss = torch.zeros((), device=self.device)
        for direction, fake in zip(DIRECTIONS, fakes):
            disc = self.nets[direction.disc_non_diffusive]
            loss = loss + F.softplus(-disc(fake.real).float()).mean()
            loss = loss + F.softplus(disc(fake.translated_from_other.detach()).float()).mean()
        return loss

    def _generator_losses(self, fakes: list[_Fakes]) -> tuple[torch.Tensor, ...]:
        """Adversarial (diffusive, non-diffusive), cycle L1 and diffusive L1, summed over directions."""
        adv_diffusive = adv_non_diffusive = cycle_l1 = diffusive_l1 = torch.zeros((), device=self.device)
        for direction, fake in zip(DIRECTIONS, fakes):
            logits = self.nets[direction.disc_diffusive](fake.posterior_sample, fake.t, fake.x_tp1).view(-1).float()
            adv_diffusive = adv_diffusive + F.softplus(-logits).mean()
            patch_logits = self.nets[direction.disc_non_diffusive](fake.translated_from_other).float()
            adv_non_diffusive = adv_non_diffusive + F.softplus(-patch_logits).mean()
            cycle_l1 = cycle_l1 + F.l1_loss(fake.cycle, fake.real)
            diffusive_l1 = diffusive_l1 + F.l1_loss(fake.x0_diffusive, fake.real)
        return adv_diffusive, adv_non_diffusive, cycle_l1, diffusive_l1

    def _set_discriminators_trainable(self, trainable: bool) -> None:
        for name in self.disc_diffusive_names + self.disc_non_diffusive_names:
            self.nets[name].requires_grad_(trainable)

    @torch.no_grad()
    def _update_ema(self) -> None:
        """ema <- decay * ema + (1 - decay) * weights, for every generator (after its update)."""
        weight = 1.0 - self.config.optimization.ema_decay
        ema_params = _parameters(self.ema[name] for name in self.generator_names)
        torch._foreach_lerp_(ema_params, self._params(self.generator_names), weight)

    def train_step(self, batch_c1: torch.Tensor, batch_c2: torch.Tensor) -> dict[str, float]:
        """One update of all eight networks on a (contrast1, contrast2) batch of crops.

        Args:
            batch_c1, batch_c2: (B, 1, H, W) unpaired crops in [-1, 1].

        Returns the losses of :data:`LOSS_NAMES` (averaged over ranks). Raises
        :class:`NonFiniteLossError` naming the epoch (counted from 1, as in the logs) when one is
        NaN or infinite.
        """
        real = [b.to(self.device, non_blocking=True).contiguous(memory_format=self.memory_format)
                for b in (batch_c1, batch_c2)]
        with_r1 = self.global_step % self.config.optimization.lazy_reg == 0
        with self.compute.autocast(self.device):
            translations = [self.nets["gen_non_diffusive_1to2"](real[0]).float(),
                            self.nets["gen_non_diffusive_2to1"](real[1]).float()]
            fakes = [self._generate(d, real[i], translations[i], translations[1 - i]) for i, d in enumerate(DIRECTIONS)]

            self._set_discriminators_trainable(True)
            d_diffusive, r1 = self._discriminator_diffusive_loss(fakes, with_r1)
            self._step("disc_diffusive", self.disc_diffusive_names, d_diffusive + r1)
            d_non_diffusive = self._discriminator_non_diffusive_loss(fakes)
            self._step("disc_non_diffusive", self.disc_non_diffusive_names, d_non_diffusive)

            self._set_discriminators_trainable(False)
            adv_d, adv_nd, cycle_l1, diffusive_l1 = self._generator_losses(fakes)
            opt = self.config.optimization
            g_total = adv_d + adv_nd + opt.lambda_l1_cycle * cycle_l1 + opt.lambda_l1_diffusive * diffusive_l1
        self._step("generators", self.generator_names, g_total)
        self._update_ema()
        self.global_step += 1
        record = torch.stack([v.detach().float() for v in
                              (d_diffusive, r1, d_non_diffusive, adv_d, adv_nd, cycle_l1, diffusive_l1, g_total)])
        losses = dict(zip(LOSS_NAMES, self.context.mean_over_ranks(record).tolist()))
        bad = [name for name, value in losses.items() if not math.isfinite(value)]
        if bad:
            raise NonFiniteLossError(
                f"SynDiff training diverged in epoch {self.epoch + 1} (step {self.global_step}): {bad} became "
                f"NaN/inf. The checkpoints already written are kept; lower lr_g/lr_d or resume from the "
                "last resume state."
            )
        return losses

    def end_epoch(self) -> None:
        """Advance the cosine learning-rate decay (once per epoch, as in the original)."""
        if not self.config.optimization.no_lr_decay:
            for scheduler in self.schedulers.values():
                scheduler.step()
        self.epoch += 1

    def generators_for_inference(self) -> dict[str, nn.Module]:
        """The EMA generators (the live ones when ``use_ema`` is off), keyed by field name."""
        if self.config.optimization.use_ema:
            return dict(self.ema)
        return {name: self.nets[name] for name in self.generator_names}

    def iter_modules(self) -> Iterator[tuple[str, nn.Module]]:
        """Every trained network and every EMA copy, with a unique name."""
        yield from self.nets.items()
        yield from ((f"ema_{name}", net) for name, net in self.ema.items())

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly (weights, EMA, optimisers, schedules)."""
        return {
            "networks": {name: net.state_dict() for name, net in self.nets.items()},
            "ema": {name: net.state_dict() for name, net in self.ema.items()},
            "optimizers": {name: o.state_dict() for name, o in self.optimizers.items()},
            "schedulers": {name: s.state_dict() for name, s in self.schedulers.items()},
            "global_step": self.global_step,
            "epoch": self.epoch,
        }

    def load_state_dict(self, state: dict[str, Any], source: str = "resume state") -> None:
        """Restore :meth:`state_dict` output; weights of another architecture raise
        ``CheckpointArchitectureError`` naming ``source`` and the network."""
        for name, net in self.nets.items():
            load_weights_strictly(net, state["networks"][name], f"{source}: {name}")
        for name, net in self.ema.items():
            load_weights_strictly(net, state["ema"][name], f"{source}: EMA {name}")
        for name, optimizer in self.optimizers.items():
            optimizer.load_state_dict(state["optimizers"][name])
        for name, scheduler in self.schedulers.items():
            scheduler.load_state_dict(state["schedulers"][name])
        self.global_step = int(state["global_step"])
        self.epoch = int(state["epoch"])

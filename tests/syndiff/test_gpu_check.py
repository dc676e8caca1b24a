"""benchmarks/gpu_check: lists its sections, and refuses clearly where there is no CUDA."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=BENCHMARKS.parent, check=False)


def test_dry_run_lists_every_section() -> None:
    done = _run(sys.executable, str(BENCHMARKS / "gpu_check.py"), "--dry-run")
    assert done.returncode == 0, done.stderr
    for section in ("syndiff_256", "syndiff_512", "translation_512", "nnunet", "full_first_epoch"):
        assert section in done.stdout


@pytest.mark.skipif(torch.cuda.is_available(), reason="with CUDA the script would run the real check")
def test_without_cuda_both_entry_points_exit_3_and_say_why() -> None:
    script = _run(sys.executable, str(BENCHMARKS / "gpu_check.py"))
    shell = _run("bash", str(BENCHMARKS / "gpu_check.sh"))
    for done in (script, shell):
        assert done.returncode == 3
        assert "no CUDA device" in done.stderr and "--device cpu --tiny" in done.stderr

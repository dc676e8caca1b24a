#!/usr/bin/env bash
# The project's GPU check (under 8 minutes on one NVIDIA GPU): SynDiff at 256 and 512 px in fp32,
# bf16, channels_last and torch.compile, translation tiles/s at 512 px, nnU-Net iterations/s, peak
# GPU memory, and the full preset's first epoch end to end. Prints a table; with $OUT set (or
# --out DIR) writes DIR/gpu_check.json after every section. Extra arguments go to gpu_check.py
# (e.g. --sections syndiff_256,translation_512). Exits 3 when torch sees no CUDA device.
#   benchmarks/gpu_check.sh
#   OUT=/tmp/check benchmarks/gpu_check.sh --full-timeout 120
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
if ! "$PYTHON" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 3)"; then
  echo "gpu_check.sh: torch ($("$PYTHON" -c 'import torch; print(torch.__version__)')) sees no CUDA device;" \
       "nothing measured. Rehearse on a CPU with: $PYTHON benchmarks/gpu_check.py --device cpu --tiny" >&2
  exit 3
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
# 470 s for the sections, the rest of the 8 minutes for start-up; a section cut short keeps the
# JSON of the ones before it.
exec timeout 470 "$PYTHON" benchmarks/gpu_check.py --device cuda --out "${OUT:-}" "$@"

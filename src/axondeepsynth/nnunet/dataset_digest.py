"""Tie nnU-Net's derived state (plans, preprocessed data, splits, fold models) to the raw dataset it came from.

nnU-Net itself treats a dataset id as immutable: plans and preprocessed arrays count as done when
their files exist, and a fold with ``checkpoint_final.pth`` is done. After a re-export or a new
translation under the same id, that state silently describes another dataset. So every piece of
derived state records a content digest of the raw dataset it was made from, and is redone (or
refused) when the digest of the raw dataset now differs.

The digest covers ``dataset.json`` (parsed, keys sorted: labels, channels and our pixel-size
record) and every file of ``imagesTr``/``labelsTr``: its name, size and the SHA-256 of its bytes.
Content, not modification times: copying, cloning or ``touch`` changes mtimes without changing a
pixel (a false alarm costs a full retraining), and a tool that preserves mtimes (``cp -p``,
``rsync -t``) can replace content under the same mtime (a silent reuse). Hashing reads the
training images once, which costs less than nnU-Net's own fingerprint of them. Test images
(``imagesTs``/``labelsTs``) are left out: no plan or model depends on them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from tqdm.auto import tqdm

from axondeepsynth.imaging.atomic import atomic_file
from axondeepsynth.nnunet.raw_dataset import read_dataset_json

logger = logging.getLogger(__name__)

TRAINING_FOLDERS = ("imagesTr", "labelsTr")
PREPROCESSED_RECORD = "axondeepsynth_raw_digest.json"
"""In ``nnUNet_preprocessed/<dataset>/``: digest per ``<plans>_<configuration>`` and for ``splits_final.json``."""
FOLD_RECORD = "axondeepsynth_fold.json"
"""In ``nnUNet_results/.../fold_<k>/``: the digest of the raw dataset the fold was trained on."""
SPLITS_KEY = "splits_final.json"
_CHUNK = 1 << 20


class StaleNnUNetStateError(RuntimeError):
    """nnU-Net state was made from another version of the raw dataset and may not be redone."""


def raw_dataset_digest(dataset_dir: Path | str) -> str:
    """SHA-256 (hex) of a raw dataset's ``dataset.json`` and training files (names, sizes, bytes)."""
    dataset_dir = Path(dataset_dir)
    digest = hashlib.sha256(json.dumps(read_dataset_json(dataset_dir), sort_keys=True).encode())
    files = sorted(p for folder in TRAINING_FOLDERS if (dataset_dir / folder).is_dir()
                   for p in (dataset_dir / folder).iterdir() if p.is_file())
    for path in tqdm(files, desc=f"digest {dataset_dir.name}", unit="file", leave=False):
        digest.update(f"{path.relative_to(dataset_dir).as_posix()}|{path.stat().st_size}|".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _read_record(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        logger.warning("Ignoring unreadable record '%s': the state it describes counts as stale.", path)
        return {}
    return content if isinstance(content, dict) else {}


def _write_record(path: Path, content: dict[str, str]) -> None:
    with atomic_file(path, overwrite=True) as temp:
        temp.write_text(json.dumps(content, indent=2, sort_keys=True), encoding="utf-8")


def recorded_digest(preprocessed_dataset_dir: Path, key: str) -> str | None:
    """The raw-dataset digest recorded for ``key`` (``<plans>_<configuration>`` or ``splits_final.json``)."""
    return _read_record(preprocessed_dataset_dir / PREPROCESSED_RECORD).get(key)


def record_digest(preprocessed_dataset_dir: Path, key: str, digest: str) -> None:
    """Record that the state ``key`` in ``preprocessed_dataset_dir`` was made from ``digest``."""
    path = preprocessed_dataset_dir / PREPROCESSED_RECORD
    _write_record(path, {**_read_record(path), key: digest})


def fold_digest(fold_dir: Path) -> str | None:
    """The raw-dataset digest a fold was trained on, ``None`` when it recorded none."""
    return _read_record(fold_dir / FOLD_RECORD).get("raw_dataset_digest")


def record_fold_digest(fold_dir: Path, digest: str) -> None:
    """Record, before a fold trains, the raw-dataset digest it is trained on."""
    _write_record(fold_dir / FOLD_RECORD, {"raw_dataset_digest": digest})

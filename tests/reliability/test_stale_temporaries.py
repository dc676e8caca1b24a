"""Leftovers of killed writes are removed at the start of a run; a live writer's are not touched."""

from __future__ import annotations

import time
from pathlib import Path

from reliability_helpers import killed_writer_leftover

from axondeepsynth.imaging.atomic import atomic_directory
from axondeepsynth.stale_temporaries import remove_stale_temporaries


def test_killed_writers_leftover_is_removed_and_the_rest_kept(tmp_path: Path) -> None:
    output = tmp_path / "nnUNet_raw" / "Dataset201_SYNTH_tem_from_sem"
    leftover = killed_writer_leftover(output)
    assert leftover.is_dir() and leftover.name.startswith(".Dataset201_SYNTH_tem_from_sem.")
    users_hidden = output.parent / ".Dataset201_notes.tmp"
    users_hidden.write_text("a user's own hidden file")
    old_style = output.parent / ".Dataset202_X.abcd1234.tmp"
    old_style.mkdir()
    time.sleep(0.05)
    with atomic_directory(tmp_path / "nnUNet_raw" / "Dataset203_LIVE") as live:
        run_started = time.time()
        removed = remove_stale_temporaries([output.parent], run_started)
        assert live.is_dir(), "a live writer's temporary (this process) must be kept"
    assert removed == [leftover] and not leftover.exists()
    assert users_hidden.read_text() == "a user's own hidden file"
    assert old_style.is_dir(), "pid-less temporaries of older versions are only reported"
    assert not output.exists()


def test_leftover_newer_than_the_run_is_kept(tmp_path: Path) -> None:
    run_started = time.time()
    time.sleep(0.05)
    leftover = killed_writer_leftover(tmp_path / "out")
    assert remove_stale_temporaries([tmp_path], run_started) == []
    assert leftover.is_dir()

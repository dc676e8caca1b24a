"""Atomic writes: the final path appears only complete, user data is kept unless overwrite."""

import os
from pathlib import Path

import pytest

from axondeepsynth.errors import UnownedOutputError
from axondeepsynth.imaging.atomic import TEMPORARY_NAME, atomic_directory, atomic_file
from axondeepsynth.project_outputs import OWNERSHIP_FILE, is_project_output


def _leftovers(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}")]


def _contents(folder: Path) -> list[str]:
    """What the block wrote, without the ownership manifest."""
    return sorted(p.name for p in folder.iterdir() if p.name != OWNERSHIP_FILE)


def test_directory_appears_on_success_only(tmp_path: Path) -> None:
    final = tmp_path / "out"
    with atomic_directory(final) as temp:
        (temp / "a.txt").write_text("a")
        assert not final.exists()
        assert temp.parent == tmp_path
    assert (final / "a.txt").read_text() == "a"
    assert is_project_output(final)
    assert _leftovers(tmp_path, "out") == []


def test_temporary_names_carry_the_writer_pid(tmp_path: Path) -> None:
    with atomic_directory(tmp_path / "out") as temp_dir, atomic_file(tmp_path / "f.hdf5") as temp_file:
        for temp in (temp_dir, temp_file):
            match = TEMPORARY_NAME.match(temp.name)
            assert match is not None and int(match["pid"]) == os.getpid(), temp.name
        assert temp_file.suffix == ".hdf5"


def test_directory_error_removes_temp_and_keeps_old(tmp_path: Path) -> None:
    final = tmp_path / "out"
    with atomic_directory(final) as temp:
        (temp / "old.txt").write_text("old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_directory(final, overwrite=True) as temp:
            (temp / "new.txt").write_text("new")
            raise RuntimeError("boom")
    assert _contents(final) == ["old.txt"]
    assert _leftovers(tmp_path, "out") == []


def test_overwrite_refuses_a_folder_the_project_did_not_write(tmp_path: Path) -> None:
    final = tmp_path / "user_data"
    final.mkdir()
    (final / "image.png").write_bytes(b"precious")
    with pytest.raises(UnownedOutputError, match=f"user_data.*not written by axondeepsynth.*{OWNERSHIP_FILE}"):
        with atomic_directory(final, overwrite=True):
            pytest.fail("the body must not run over a folder the project did not write")
    assert _contents(final) == ["image.png"] and (final / "image.png").read_bytes() == b"precious"
    assert _leftovers(tmp_path, "user_data") == []


def test_directory_refuses_non_empty_without_overwrite(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    (final / "keep.txt").write_text("keep")
    with pytest.raises(FileExistsError, match=str(final)):
        with atomic_directory(final):
            pytest.fail("the body must not run when the output exists")
    assert (final / "keep.txt").read_text() == "keep"


def test_directory_replaces_empty_folder_and_overwrites(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    with atomic_directory(final) as temp:
        (temp / "first.txt").write_text("1")
    with atomic_directory(final, overwrite=True) as temp:
        (temp / "second.txt").write_text("2")
    assert _contents(final) == ["second.txt"]
    assert _leftovers(tmp_path, "out") == []


def test_directory_refuses_output_created_during_write(tmp_path: Path) -> None:
    final = tmp_path / "out"
    with pytest.raises(FileExistsError):
        with atomic_directory(final) as temp:
            (temp / "mine.txt").write_text("mine")
            final.mkdir()
            (final / "theirs.txt").write_text("theirs")
    assert sorted(p.name for p in final.iterdir()) == ["theirs.txt"]
    assert _leftovers(tmp_path, "out") == []


def test_file_keeps_suffix_and_renames(tmp_path: Path) -> None:
    final = tmp_path / "sub" / "data.hdf5"
    with atomic_file(final) as temp:
        assert temp.suffix == ".hdf5" and temp.exists()
        temp.write_bytes(b"xyz")
        assert not final.exists()
    assert final.read_bytes() == b"xyz"
    assert _leftovers(final.parent, "data") == []


def test_file_refuses_existing_and_cleans_on_error(tmp_path: Path) -> None:
    final = tmp_path / "data.hdf5"
    final.write_bytes(b"user")
    with pytest.raises(FileExistsError, match="overwrite"):
        with atomic_file(final):
            pass
    with pytest.raises(ValueError):
        with atomic_file(final, overwrite=True) as temp:
            temp.write_bytes(b"half")
            raise ValueError("interrupted")
    assert final.read_bytes() == b"user"
    with atomic_file(final, overwrite=True) as temp:
        temp.write_bytes(b"new")
    assert final.read_bytes() == b"new"
    assert _leftovers(tmp_path, "data") == []


def test_outputs_get_umask_permissions_not_private_ones(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "f.bin") as temp:
            temp.write_bytes(b"x")
        with atomic_directory(tmp_path / "d"):
            pass
    finally:
        os.umask(mask)
    assert (tmp_path / "f.bin").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755

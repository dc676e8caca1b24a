import pytest

from axondeepsynth.nnunet.subject_split import split_test_groups


def test_whole_subjects_are_held_out_reproducibly():
    groups = ["a", "a", "b", "c", "c", "c", "d"]
    test = split_test_groups(groups, 0.25, seed=3)
    assert len(test) == 1 and test <= set(groups)
    assert split_test_groups(groups, 0.25, seed=3) == test
    assert split_test_groups(groups, 0.9, seed=0) != set(groups)  # one subject always trains


def test_no_test_set_when_asked_or_impossible():
    assert split_test_groups(["a", "b"], 0.0, seed=0) == set()
    assert split_test_groups(["a", "a"], 0.5, seed=0) == set()
    with pytest.raises(ValueError, match="test_fraction"):
        split_test_groups(["a", "b"], 1.0, seed=0)

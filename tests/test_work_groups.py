"""How ``make test`` shares work between its two pytest-xdist workers (``conftest.work_group``)."""

from conftest import work_group


def test_tests_that_share_a_computation_run_together():
    assert work_group("tests/test_book.py::test_images_exist[book/ch06_cnn]") == "book"
    assert work_group("tests/test_book.py::test_book_builds_without_warnings") == "book"
    # the fresh runs compare with the build's cache, so they follow the build on its worker
    assert work_group("tests/test_determinism.py::test_chapter_prints_what_the_book_shows[book/ch01_neuron]") == "book"
    assert work_group("tests/adversarial/test_adversarial.py::test_attack_gains_nothing[always_equal]") == "adversarial"
    for test in ("test_every_function_has_enough_variants", "test_variants_score_as_expected"):
        assert work_group(f"tests/test_exercise_variants.py::{test}[ch05_training]") == "variants-ch05_training"
    assert work_group("tests/test_ddp.py::test_batch_must_split_evenly") == "tests/test_ddp.py"


def test_other_tests_are_scheduled_one_by_one():
    for nodeid in ("tests/test_determinism.py::test_normalise_masks_timings_only",
                   "tests/test_gpt.py::test_alibi_bias_is_causal[4]",
                   "tests/test_text.py::test_vocab_roundtrip_and_order"):
        assert work_group(nodeid) == nodeid

"""How ``make test`` shares work between its two pytest-xdist workers (``conftest``)."""

from conftest import BUILD_TEST, run_order, work_group

FRESH_RUN = "tests/test_determinism.py::test_chapter_prints_what_the_book_shows[book/ch01_neuron]"


def test_the_build_comes_first_and_what_reads_it_last():
    ids = ["tests/test_book.py::test_images_exist[book/ch06_cnn]", FRESH_RUN,
           "tests/test_text.py::test_vocab_roundtrip_and_order", BUILD_TEST,
           "tests/test_determinism.py::test_normalise_masks_timings_only"]
    assert sorted(ids, key=run_order) == [BUILD_TEST, "tests/test_text.py::test_vocab_roundtrip_and_order",
                                          "tests/test_determinism.py::test_normalise_masks_timings_only",
                                          FRESH_RUN, "tests/test_book.py::test_images_exist[book/ch06_cnn]"]


def test_tests_that_share_a_computation_run_together():
    # a page's checks share its DOM, rendered once per worker by Chromium
    assert work_group("tests/test_book.py::test_images_exist[book/ch06_cnn]") == \
        work_group("tests/test_book.py::test_math_is_typeset_by_local_mathjax[book/ch06_cnn]") == "book:book/ch06_cnn"
    assert work_group("tests/adversarial/test_adversarial.py::test_attack_gains_nothing[always_equal]") == "adversarial"
    for test in ("test_every_function_has_enough_variants", "test_variants_score_as_expected"):
        assert work_group(f"tests/test_exercise_variants.py::{test}[ch05_training]") == "variants-ch05_training"
    assert work_group("tests/test_ddp.py::test_batch_must_split_evenly") == "tests/test_ddp.py"


def test_other_tests_are_scheduled_one_by_one():
    for nodeid in (BUILD_TEST, FRESH_RUN, "tests/test_book.py::test_chapter_figures_are_real_images",
                   "tests/test_determinism.py::test_normalise_masks_timings_only",
                   "tests/test_gpt.py::test_alibi_bias_is_causal[4]",
                   "tests/test_text.py::test_vocab_roundtrip_and_order"):
        assert work_group(nodeid) == nodeid

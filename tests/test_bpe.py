"""nncourse.bpe against a plain loop written from the syllabus's rules (pairs counted with
overlaps, ties to the first occurrence, left-to-right replacement without overlap, stop
below a count of 2), on small alphabets with runs (hypothesis) and on Shakespeare; the
round trip, prefixes of the merges, the table, and errors on bad input."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import nncourse.bpe as bpe_module
from nncourse.bpe import BPERow, bpe_decode, bpe_encode, bpe_table, bpe_trace, bpe_train


# ---------------------------------------------------------------- the oracle: plain Python
def apply_merge(tokens, pair):
    """Replace ``pair`` left to right without overlap: a a a -> aa a."""
    a, b = pair
    out, i = [], 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] == a and tokens[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def slow_train(text, n_merges):
    """``(merges, final tokens)`` by the rules, one dictionary of counts per step."""
    tokens, merges = list(text), []
    while len(merges) < n_merges:
        counts, first = {}, {}
        for i in range(len(tokens) - 1):
            pair = (tokens[i], tokens[i + 1])
            counts[pair] = counts.get(pair, 0) + 1
            first.setdefault(pair, i)
        if not counts:
            break
        best = max(counts, key=lambda p: (counts[p], -first[p]))
        if counts[best] < 2:
            break
        tokens = apply_merge(tokens, best)
        merges.append(best)
    return merges, tokens


def slow_encode(text, merges):
    tokens = list(text)
    for pair in merges:
        tokens = apply_merge(tokens, pair)
    return tokens


# Texts over small alphabets, with long runs (``aaaa``) likely: a list of (letter, repeat) pieces.
def texts(alphabet):
    piece = st.tuples(st.sampled_from(alphabet), st.integers(1, 5))
    return st.lists(piece, max_size=30).map(lambda ps: "".join(c * k for c, k in ps))


small_texts = st.one_of(texts("ab"), texts("abc"), texts("ab \n"), st.text("xyz", max_size=40),
                        st.text(max_size=12))


# ---------------------------------------------------------------- the syllabus's examples
def test_overlapping_pairs_count_and_replace_left_to_right():
    assert bpe_train("aaa", 5) == [("a", "a")]                # (a, a) counted twice
    assert bpe_encode("aaa", [("a", "a")]) == ["aa", "a"]
    assert bpe_encode("aaaaa", [("a", "a")]) == ["aa", "aa", "a"]
    assert bpe_train("aaaa", 5) == [("a", "a")]               # then (aa, aa) occurs once: stop
    assert bpe_train("aaaaaaaa", 5) == [("a", "a"), ("aa", "aa")]


def test_ties_go_to_the_pair_that_occurs_first():
    assert bpe_train("cdabcdab", 1) == [("c", "d")]          # cd and ab twice each; cd first
    assert bpe_train("abcdcdab", 1) == [("a", "b")]
    # cb and ab twice each; cb occurs first although its letters are not the first seen
    assert bpe_train("acbxcbyabzab", 1) == [("c", "b")]
    assert bpe_train("acbxabycbzab", 1) == [("c", "b")]
    assert bpe_train("cabxcbyabzcb", 1) == [("a", "b")]


def test_stops_below_a_count_of_two_and_after_n_merges():
    assert bpe_train("abcdef", 10) == []
    assert bpe_train("", 3) == [] and bpe_train("a", 3) == []
    assert bpe_train("abab", 0) == []
    assert bpe_train("ababab", 1) == [("a", "b")]
    assert bpe_train("ababab", 10) == [("a", "b"), ("ab", "ab")]   # ab ab ab: (ab, ab) twice
    assert bpe_train("abababab", 10) == [("a", "b"), ("ab", "ab")]


def test_equal_strings_are_one_token():
    """``ab + c`` and ``a + bc`` make the same token ``abc``, whose pairs count together."""
    merges = [("a", "b"), ("b", "c"), ("ab", "c"), ("a", "bc")]
    text = "abcx" * 2 + "abc" + "bcabc"
    assert bpe_encode(text, merges) == slow_encode(text, merges)
    text = "abc abc bcz abcabc"
    assert bpe_train(text, 8) == slow_train(text, 8)[0]


# ---------------------------------------------------------------- against the oracle
@settings(max_examples=300, deadline=None)
@given(text=small_texts, n_merges=st.integers(0, 12))
def test_train_equals_the_plain_loop(text, n_merges):
    merges, tokens = slow_train(text, n_merges)
    got, lengths = bpe_trace(text, n_merges)
    assert got == merges
    assert lengths[0] == len(text) and lengths[-1] == len(tokens) and len(lengths) == len(merges) + 1
    assert bpe_encode(text, got) == tokens                    # encoding replays the training


@settings(max_examples=100, deadline=None)
@given(text=small_texts, n_merges=st.integers(0, 12))
def test_sparse_counting_equals_the_plain_loop(text, n_merges):
    """The fallback for large vocabularies (``np.unique`` at each step) agrees too."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bpe_module, "_BINCOUNT_MAX", 0)
        assert bpe_train(text, n_merges) == slow_train(text, n_merges)[0]


@settings(max_examples=200, deadline=None)
@given(train_text=small_texts, text=small_texts, n_merges=st.integers(0, 10))
def test_encode_any_text_equals_the_plain_loop(train_text, text, n_merges):
    """Merges learned on one text, applied to another (whose characters may differ)."""
    merges = bpe_train(train_text, n_merges)
    tokens = bpe_encode(text, merges)
    assert tokens == slow_encode(text, merges)
    assert bpe_decode(tokens) == text


@settings(max_examples=100, deadline=None)
@given(text=small_texts, n_merges=st.integers(0, 12), k=st.integers(0, 12))
def test_fewer_merges_are_a_prefix(text, n_merges, k):
    merges = bpe_train(text, n_merges)
    assert len(merges) <= n_merges
    assert bpe_train(text, min(k, n_merges)) == merges[:k]


@settings(max_examples=100, deadline=None)
@given(merges=st.lists(st.tuples(st.text("ab", min_size=1, max_size=3),
                                 st.text("ab", min_size=1, max_size=3)), max_size=6),
       text=texts("abc"))
def test_encode_with_arbitrary_merges(merges, text):
    """Merges need not come from training (nor occur in the text): each is applied in order."""
    assert bpe_encode(text, merges) == slow_encode(text, merges)


def test_any_characters_are_tokens():
    """Code points, not bytes: accents, emoji, even a lone surrogate."""
    for text in ["éé à éé à", "🙂🙂x🙂🙂x", "\ud800ab\ud800ab"]:
        merges, tokens = slow_train(text, 5)
        assert bpe_train(text, 5) == merges and bpe_encode(text, merges) == tokens


def test_random_text_of_a_few_thousand_characters():
    rng = np.random.default_rng(0)
    words = ["the ", "then ", "thee ", "a ", "aa ", "aaa ", "in ", "tin ", "\n"]
    text = "".join(rng.choice(words, size=800))
    merges, tokens = slow_train(text, 40)
    assert bpe_train(text, 40) == merges
    assert bpe_encode(text, merges) == tokens


@pytest.fixture(scope="module")
def shakespeare_sample():
    from nncourse.datasets import shakespeare
    return shakespeare()[0][:20_000]


def test_shakespeare_sample_equals_the_plain_loop(shakespeare_sample):
    merges, tokens = slow_train(shakespeare_sample, 60)
    assert bpe_train(shakespeare_sample, 60) == merges
    assert bpe_encode(shakespeare_sample, merges) == tokens
    assert merges[0] == ("e", " ")                            # what it merges first


# ---------------------------------------------------------------- decode, table
@given(tokens=st.lists(st.text(max_size=4), max_size=10))
def test_decode_joins(tokens):
    assert bpe_decode(tokens) == "".join(tokens)


def test_table_reads_the_training_run(shakespeare_sample):
    text = shakespeare_sample[:5000]
    held = shakespeare_sample[5000:8000]
    rows = bpe_table(text, (0, 10, 50), held_out=held)
    assert [r.merges for r in rows] == [0, 10, 50]
    assert rows[0] == BPERow(0, len(set(text)), len(text), 1.0, 1.0)
    for r in rows[1:]:
        merges = bpe_train(text, r.merges)
        assert r.tokens == len(bpe_encode(text, merges))
        assert r.tokens_per_char == r.tokens / len(text)
        assert r.held_out_tokens_per_char == len(bpe_encode(held, merges)) / len(held)
        assert r.vocab_size == len(set(text) | {a + b for a, b in merges})
    assert rows[0].tokens > rows[1].tokens > rows[2].tokens
    assert rows[0].vocab_size < rows[1].vocab_size < rows[2].vocab_size


def test_table_stops_where_training_stops():
    rows = bpe_table("abab", (0, 1, 5))
    assert [(r.merges, r.vocab_size, r.tokens) for r in rows] == [(0, 2, 4), (1, 3, 2), (1, 3, 2)]
    assert rows[0].held_out_tokens_per_char is None


def test_table_counts_a_string_made_twice_once():
    text = "abc abc bcz abcabc"
    merges = bpe_train(text, 8)
    rows = bpe_table(text, (len(merges),))
    assert rows[0].vocab_size == len(set(text) | {a + b for a, b in merges})


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, match", [
    (lambda: bpe_train(b"abc", 1), "text must be a str"),
    (lambda: bpe_train("abc", -1), "n_merges must be an int >= 0"),
    (lambda: bpe_train("abc", 1.5), "n_merges must be an int >= 0"),
    (lambda: bpe_train("abc", True), "n_merges must be an int >= 0"),
    (lambda: bpe_encode(["a"], []), "text must be a str"),
    (lambda: bpe_encode("abc", "ab"), "merges must be a list"),
    (lambda: bpe_encode("abc", [("a",)]), "pair"),
    (lambda: bpe_encode("abc", [("a", "")]), "non-empty strings"),
    (lambda: bpe_encode("abc", [("a", 1)]), "non-empty strings"),
    (lambda: bpe_decode("abc"), "list of strings"),
    (lambda: bpe_decode(["a", 1]), "list of strings"),
    (lambda: bpe_table("", (0,)), "empty"),
    (lambda: bpe_table("ab", ()), "at least one"),
    (lambda: bpe_table("ab", (-1,)), "n_merges"),
    (lambda: bpe_table("ab", (1,), held_out=""), "held_out"),
])
def test_bad_input_says_what_was_expected(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_numpy_integers_are_counts():
    assert bpe_train("aaaa", np.int64(1)) == [("a", "a")]

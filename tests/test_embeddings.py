"""nncourse.embeddings: cosine_nearest against a plain loop sorted by (-similarity, index)
and against scikit-learn's cosine similarity, with ties and zero rows; pca_2d against
scikit-learn's PCA (up to sign) and its sign rule; the CBOW model against a loop, its
batches, its determinism, what it learns on a made-up language and on Shakespeare's BPE
tokens; errors on bad input."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from sklearn.decomposition import PCA
from sklearn.metrics.pairwise import cosine_similarity

from nncourse.embeddings import (TokenCBOW, TokenIds, cbow_batch, cosine_nearest,
                                 cosine_similarity_to, pca_2d, token_embeddings, train_cbow)

pytestmark = pytest.mark.usefixtures("one_thread")


# ---------------------------------------------------------------- the oracle: a plain loop
def loop_cosine(u, v):
    nu = math.sqrt(sum(x * x for x in u))
    nv = math.sqrt(sum(x * x for x in v))
    if nu == 0 or nv == 0:
        return 0.0
    return sum(x * y for x, y in zip(u, v)) / (nu * nv)


def loop_nearest(E, i, k):
    rows = [list(map(float, r)) for r in E]
    sims = [(-round(loop_cosine(rows[j], rows[i]), 12), j) for j in range(len(rows)) if j != i]
    return [j for _, j in sorted(sims)[:k]]


matrices = st.tuples(st.integers(2, 30), st.integers(1, 8), st.integers(0, 2**32 - 1))


@settings(max_examples=200, deadline=None)
@given(shape_seed=matrices, data=st.data())
def test_nearest_equals_the_loop(shape_seed, data):
    V, d, seed = shape_seed
    E = np.random.default_rng(seed).normal(size=(V, d))
    i = data.draw(st.integers(0, V - 1))
    k = data.draw(st.integers(1, V - 1))
    got = cosine_nearest(E, i, k)
    assert got.shape == (k,) and np.issubdtype(got.dtype, np.integer)
    assert got.tolist() == loop_nearest(E, i, k)


@settings(max_examples=100, deadline=None)
@given(shape_seed=matrices, data=st.data())
def test_nearest_with_ties_and_zero_rows_equals_the_loop(shape_seed, data):
    """Rows drawn from a few directions, scaled by 1, 2 or 0.5, and some zero rows: many ties."""
    V, d, seed = shape_seed
    rng = np.random.default_rng(seed)
    directions = rng.integers(-2, 3, size=(3, d)).astype(float)
    E = directions[rng.integers(0, 3, size=V)] * rng.choice([0.0, 0.5, 1.0, 2.0], size=(V, 1))
    i = data.draw(st.integers(0, V - 1))
    k = data.draw(st.integers(1, V - 1))
    if not E[i].any():
        with pytest.raises(ValueError, match=f"row {i} of E is zero"):
            cosine_nearest(E, i, k)
        return
    assert cosine_nearest(E, i, k).tolist() == loop_nearest(E, i, k)


@settings(max_examples=50, deadline=None)
@given(shape_seed=matrices)
def test_similarities_equal_sklearn(shape_seed):
    V, d, seed = shape_seed
    E = np.random.default_rng(seed).normal(size=(V, d))
    E[V // 2] = 0.0                                            # a zero row: similarity 0
    i = (V // 2 + 1) % V
    np.testing.assert_allclose(cosine_similarity_to(E, i), cosine_similarity(E)[i], atol=1e-12)


def test_ties_go_to_the_lower_index_and_the_row_itself_is_excluded():
    E = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    assert cosine_nearest(E, 0, 5).tolist() == [2, 3, 1, 5, 4]   # 1, 1, 0, 0 (zero row), -1
    assert cosine_nearest(E, 3, 2).tolist() == [0, 2]
    assert cosine_nearest(E, 4, 1).tolist() == [1]               # 0 beats -1; 1 before 5
    # v and 3v tie with each other whatever the rounding of their norms
    v = np.array([0.1, 0.7, 0.3])
    assert cosine_nearest(np.stack([v, 3 * v, v, 0.7 * v]), 0, 3).tolist() == [1, 2, 3]


def test_most_similar_first_and_accepts_torch_and_ints():
    E = torch.tensor([[1.0, 0.0], [0.6, 0.8], [0.8, 0.6], [0.0, 1.0]])
    assert cosine_nearest(E, 0, 3).tolist() == [2, 1, 3]
    assert cosine_nearest(np.array([[1, 0], [3, 1], [1, 3]]), 0, np.int64(1)).tolist() == [1]


# ---------------------------------------------------------------- pca_2d
@settings(max_examples=60, deadline=None)
@given(V=st.integers(3, 40), d=st.integers(2, 10), seed=st.integers(0, 2**32 - 1))
def test_pca_equals_sklearn_up_to_sign(V, d, seed):
    rng = np.random.default_rng(seed)
    E = rng.normal(size=(V, d)) * rng.uniform(0.1, 3.0, size=d)   # unequal variances
    coords, ratio = pca_2d(E, return_ratio=True)
    ref = PCA(n_components=2, svd_solver="full").fit(E)
    want = ref.transform(E)
    assert coords.shape == (V, 2)
    for j in range(2):
        s = np.sign(coords[:, j] @ want[:, j]) or 1.0
        np.testing.assert_allclose(coords[:, j], s * want[:, j], atol=1e-9)
    np.testing.assert_allclose(ratio, ref.explained_variance_ratio_, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(V=st.integers(2, 30), d=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
def test_pca_sign_rule_and_invariance(V, d, seed):
    """The farthest point on each axis is positive; flipping, shifting or permuting the
    columns of E changes nothing; the axes are uncorrelated and sorted by variance."""
    E = np.random.default_rng(seed).normal(size=(V, d))
    coords = pca_2d(E)
    for j in range(2):                      # the positive end reaches as far as the negative
        assert coords[:, j].max() >= -coords[:, j].min() * (1 - 1e-9)
    np.testing.assert_allclose(pca_2d(-E + 5.0), coords, atol=1e-9)
    np.testing.assert_allclose(pca_2d(E[:, ::-1]), coords, atol=1e-9)
    np.testing.assert_allclose(coords.mean(axis=0), 0.0, atol=1e-9)
    assert abs(coords[:, 0] @ coords[:, 1]) < 1e-8 * max(1.0, (coords ** 2).sum())
    assert coords[:, 0].var() >= coords[:, 1].var() - 1e-12


def test_pca_of_points_on_a_line():
    t = np.arange(5.0)
    E = np.stack([t, 2 * t, np.zeros(5)], axis=1)              # (5, 3) on one line
    coords, ratio = pca_2d(E, return_ratio=True)
    np.testing.assert_allclose(coords[:, 0], (2 - t) * math.sqrt(5), atol=1e-12)  # 0 and 4 tie
    np.testing.assert_allclose(coords[:, 1], 0.0, atol=1e-12)
    np.testing.assert_allclose(ratio, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(pca_2d(np.ones((4, 3))), 0.0)   # no variance at all
    # two points: as far on both sides, so the first is positive; the second axis is 0
    np.testing.assert_allclose(pca_2d(np.array([[0.0, 1.0], [2.0, 3.0]])), [[2.0, 0.0], [-2.0, 0.0]]
                               / np.array([math.sqrt(2), 1.0]), atol=1e-12)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, match", [
    (lambda: cosine_nearest(np.ones(3), 0, 1), r"E must be \(V, d\)"),
    (lambda: cosine_nearest(np.ones((0, 2)), 0, 1), r"E must be \(V, d\)"),
    (lambda: cosine_nearest(np.array([["a", "b"]]), 0, 1), "numbers"),
    (lambda: cosine_nearest(np.array([[1.0, np.nan], [1.0, 0.0]]), 0, 1), "finite"),
    (lambda: cosine_nearest(np.eye(3), 3, 1), r"i must be an int in \[0, 3\)"),
    (lambda: cosine_nearest(np.eye(3), -1, 1), r"i must be an int in \[0, 3\)"),
    (lambda: cosine_nearest(np.eye(3), 1.0, 1), "i must be an int"),
    (lambda: cosine_nearest(np.eye(3), 0, 0), r"k must be an int in \[1, 2\]"),
    (lambda: cosine_nearest(np.eye(3), 0, 3), r"k must be an int in \[1, 2\]"),
    (lambda: cosine_nearest(np.eye(3), 0, True), "k must be an int"),
    (lambda: cosine_nearest(np.array([[0.0, 0.0], [1.0, 0.0]]), 0, 1), "row 0 of E is zero"),
    (lambda: pca_2d(np.ones((1, 3))), "at least 2 rows and 2 columns"),
    (lambda: pca_2d(np.ones((4, 1))), "at least 2 rows and 2 columns"),
    (lambda: pca_2d(np.ones(4)), r"E must be \(V, d\)"),
])
def test_bad_input_says_what_was_expected(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- the CBOW model
def test_token_ids_most_frequent_first():
    vocab = TokenIds(["b", "a", "c", "a", "c", "d"])
    assert vocab.strings == ["a", "c", "b", "d"]              # 2, 2 (a seen first), 1, 1
    assert vocab.counts == [2, 2, 1, 1] and len(vocab) == 4
    ids = vocab.encode(["d", "a", "c"])
    assert ids.dtype == torch.long and ids.tolist() == [3, 0, 1]
    assert vocab.decode(ids) == ["d", "a", "c"] and vocab.decode([2]) == ["b"]
    with pytest.raises(KeyError):
        vocab.encode(["z"])


def test_cbow_batch_takes_the_tokens_around_each_centre():
    ids = torch.arange(100, 130)
    g = torch.Generator().manual_seed(1)
    context, centre = cbow_batch(ids, 3, 50, g)
    assert context.shape == (50, 6) and centre.shape == (50,)
    for c, row in zip(centre.tolist(), context.tolist()):
        p = c - 100                                            # its position
        assert 3 <= p < 27
        assert row == [ids[p + o].item() for o in (-3, -2, -1, 1, 2, 3)]
    again = cbow_batch(ids, 3, 50, torch.Generator().manual_seed(1))
    assert torch.equal(again[0], context) and torch.equal(again[1], centre)


def test_cbow_forward_is_the_mean_embedding_read_out():
    torch.manual_seed(0)
    model = TokenCBOW(7, 5)
    context = torch.tensor([[0, 3, 3, 6], [1, 2, 4, 5]])
    W, b, E = model.out.weight, model.out.bias, model.embed.weight
    for row, logits in zip(context, model(context)):
        mean = sum(E[j] for j in row.tolist()) / len(row)
        torch.testing.assert_close(logits, W @ mean + b)
    assert model.embedding().shape == (7, 5) and model.embedding().dtype == np.float64


def made_up_language(n, rng):
    """Sentences ``s A t`` and ``u B w``: a1, a2 share every context, as b1, b2 do."""
    out = []
    for _ in range(n):
        if rng.random() < 0.5:
            out += ["s", rng.choice(["a1", "a2"]), "t", "."]
        else:
            out += ["u", rng.choice(["b1", "b2"]), "w", "."]
    return out


def test_tokens_in_the_same_contexts_end_up_close():
    tokens = made_up_language(500, np.random.default_rng(0))
    vocab = TokenIds(tokens)
    model, history = train_cbow(vocab.encode(tokens), len(vocab), torch.Generator().manual_seed(0),
                                dim=8, window=1, steps=200, batch_size=64, lr=3e-2)
    E, ix = model.embedding(), vocab.index
    assert cosine_nearest(E, ix["a1"], 1).tolist() == [ix["a2"]]
    assert cosine_nearest(E, ix["b2"], 1).tolist() == [ix["b1"]]
    assert np.mean(history.losses[-20:]) < 0.5 * np.mean(history.losses[:20])
    assert len(history.losses) == 200 and history.cpu_seconds > 0


def test_training_is_reproducible():
    tokens = made_up_language(100, np.random.default_rng(1))
    vocab = TokenIds(tokens)
    runs = [train_cbow(vocab.encode(tokens), len(vocab), torch.Generator().manual_seed(3),
                       dim=4, steps=20, batch_size=16)[0].embedding() for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    other = train_cbow(vocab.encode(tokens), len(vocab), torch.Generator().manual_seed(4),
                       dim=4, steps=20, batch_size=16)[0].embedding()
    assert not np.array_equal(runs[0], other)


def test_training_leaves_the_thread_count_as_found():
    tokens = made_up_language(20, np.random.default_rng(2))
    vocab = TokenIds(tokens)
    n = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        a = train_cbow(vocab.encode(tokens), len(vocab), torch.Generator().manual_seed(0), dim=4,
                       steps=5, batch_size=8)[0].embedding()
        assert torch.get_num_threads() == 2
        b = train_cbow(vocab.encode(tokens), len(vocab), torch.Generator().manual_seed(0), dim=4,
                       steps=5, batch_size=8, threads=None)[0].embedding()
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)  # one thread or two: same model
    finally:
        torch.set_num_threads(n)


@pytest.fixture(scope="module")
def shakespeare_embeddings():
    """The chapter's recipe (500,000 characters, 1000 merges), cut to 300 CBOW steps."""
    from nncourse.datasets import shakespeare
    return token_embeddings(shakespeare()[0][:500_000], 1000, seed=0, steps=300)


def test_shakespeare_neighbours_are_readable(shakespeare_embeddings):
    te = shakespeare_embeddings
    assert len(te.merges) == 1000 and te.E.shape == (len(te.vocab), 64)
    assert te.merges[:3] == [("e", " "), ("t", "h"), ("t", " ")]
    assert len({"me ", "her ", "them "} & set(te.nearest("him ", 5))) >= 2
    assert "!\n\n" in te.nearest("?\n\n", 3)
    assert {"we ", "they "} & set(te.nearest("you ", 3))
    assert te.nearest("my ", 1) == ["thy "]


@pytest.mark.parametrize("call, match", [
    (lambda: TokenIds([]), "non-empty list of strings"),
    (lambda: TokenIds(["a", 1]), "non-empty list of strings"),
    (lambda: TokenCBOW(1, 4), "vocab_size must be >= 2"),
    (lambda: cbow_batch(torch.arange(4), 2, 3, torch.Generator()), "at least 2 \\* window \\+ 1 = 5"),
    (lambda: cbow_batch(torch.arange(9), 0, 3, torch.Generator()), "window and batch_size must be >= 1"),
    (lambda: train_cbow(torch.arange(10), 5, torch.Generator()), r"ids must be 1-D in \[0, 5\)"),
    (lambda: train_cbow(torch.arange(10), 10, torch.Generator(), steps=0), "steps must be >= 1"),
])
def test_model_bad_input_says_what_was_expected(call, match):
    with pytest.raises(ValueError, match=match):
        call()

"""The book's schematic diagrams (``nncourse.diagrams``): each draws a figure
with the parts its caption names, and closes nothing it did not open."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nncourse import diagrams  # noqa: E402


def texts(fig) -> str:
    """Every text drawn in ``fig``, joined (labels, annotations, titles)."""
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- chapter 6
def test_im2col_diagram_shows_the_windows_as_the_columns_of_im2col():
    import numpy as np

    from nncourse.conv import im2col

    fig = diagrams.im2col_diagram()
    shown = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    numbers = sorted(float(t) for t in shown if t.isdigit())
    cols = im2col(np.arange(16.0).reshape(1, 1, 4, 4), 3, 3)         # (9, 4)
    windows = np.arange(16.0).reshape(4, 4)[:3, :3].ravel()          # the window of (0, 0)
    # the image (16 pixels), its 4 windows (36 values) and the im2col matrix (36 values)
    assert numbers == sorted([*range(16), *cols.ravel(), *cols.ravel()])
    assert np.array_equal(cols[:, 0], windows)
    text = texts(fig)
    for part in ("image (4 x 4)", "(9 x 4)", "W: one row per filter (2 x 9)", "Y = W @ cols",
                 "(0, 0)", "(1, 1)", "u,v = 2,2", "map 1"):
        assert part in text, part


def test_receptive_field_diagram_labels_each_layer_with_its_receptive_field():
    from nncourse.conv import receptive_field

    fig = diagrams.receptive_field_diagram()
    text = texts(fig)
    cnn = [(3, 1), (2, 2), (3, 1), (2, 2)]
    expected = {receptive_field(cnn[:k]) for k in range(1, 5)} | {3, 5, 7}
    assert expected == {3, 4, 5, 7, 8, 10}
    for r in expected:
        assert f"r = {r}" in text, r
    assert "(a) three 3x3 convolutions" in text and "(b) the chapter's CNN" in text
    ax = fig.axes[0]
    highlighted = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)
                   and type(p).__name__ == "Rectangle"]
    # (a) 7 + 5 + 3 + 1 units, (b) 10 + 8 + 4 + 2 + 1 units feed the top unit
    assert len(highlighted) == 16 + 25


# ---------------------------------------------------------------- chapter 7
# (chapter 7's diagram test goes here)
def test_lstm_cell_names_the_gates_and_both_paths():
    before = plt.get_fignums()
    fig = diagrams.lstm_cell_diagram()
    assert plt.get_fignums() == before + [fig.number]          # one new figure
    drawn = texts(fig)
    for part in (r"$f = \sigma$", r"$i = \sigma$", r"$g = \tanh$", r"$o = \sigma$",
                 "$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$h_t$", "$x_t$",
                 "cell path", "hidden path", r"\mathrm{diag}(f)"):
        assert part in drawn, f"the LSTM diagram does not show {part!r}"


# ---------------------------------------------------------------- chapter 8
@pytest.mark.parametrize("n_heads", [1, 4, 6])
def test_head_split_draws_one_slice_and_one_attention_per_head(n_heads):
    from matplotlib.patches import FancyBboxPatch

    fig = diagrams.head_split(n_heads)
    drawn = texts(fig)
    for i in range(1, n_heads + 1):
        assert f"head {i}\n" in drawn and f"out {i}" in drawn
    assert "concat" in drawn and "W_o" in drawn and "d_{model}" in drawn
    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    # Q, K, V and the concatenation in n_heads slices each, one box per head, the output
    assert len(boxes) == 4 * n_heads + n_heads + 1
    with pytest.raises(ValueError):
        diagrams.head_split(0)


def test_transformer_block_draws_the_block_and_the_gpt():
    fig = diagrams.transformer_block()
    drawn = texts(fig)
    assert drawn.count("LayerNorm") == 3                    # ln1, ln2, the final one
    for part in ("self-attention", "MLP", "+", "token ids", "linear head", "block n_layer"):
        assert part in drawn


# ---------------------------------------------------------------- chapter 9
# (chapter 9's diagram test goes here)
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_ring_allreduce_states_end_with_every_sum_everywhere(n):
    states = diagrams.ring_allreduce_states(n)
    assert len(states) == 1 + 2 * (n - 1)
    everyone = frozenset(range(n))
    for k, (title, held, sent) in enumerate(states[1:], start=1):
        assert sorted(sent) == list(range(n))      # every device sends one chunk per step
        if k == n - 1:                             # end of reduce-scatter: one full sum each,
            assert title == f"reduce-scatter, step {n - 1}"
            full = [[j for j in range(n) if held[r][j] == everyone] for r in range(n)]
            assert full == [[(r + 1) % n] for r in range(n)]   # a different chunk each
    assert all(chunk == everyone for row in states[-1][1] for chunk in row)
    assert states[-1][0] == f"all-gather, step {n - 1}"
    with pytest.raises(ValueError, match="at least 2"):
        diagrams.ring_allreduce_states(1)


def test_ring_allreduce_diagram_shows_both_phases_and_the_ring():
    fig = diagrams.ring_allreduce_diagram(4)
    drawn = texts(fig)
    for part in ("reduce-scatter, step 3", "all-gather, step 3", "the ring",
                 "GPU 0", "GPU 3", "A:0", "B:12", "D:all"):
        assert part in drawn, f"the ring all-reduce diagram does not show {part!r}"
    assert plt.get_fignums() == [fig.number]


# ---------------------------------------------------------------- chapter 10
def test_residual_block_diagram_draws_the_plain_block_and_both_shortcuts():
    from matplotlib.patches import FancyBboxPatch

    before = plt.get_fignums()
    fig = diagrams.residual_block_diagram()
    assert plt.get_fignums() == before + [fig.number]          # one new figure
    assert len(fig.axes) == 3
    plain, identity, projection = (texts(ax) for ax in fig.axes)
    assert "(a) plain block" in plain and "+" not in plain.replace("(N", "")
    for drawn in (identity, projection):                       # the shortcut is added before the last ReLU
        assert "+" in drawn
    assert "identity" in identity and "conv 1x1,\nstride 2" in projection
    assert "conv 3x3, stride 2" in projection and "stride" not in plain + identity
    assert "(N, 2C, ⌈H/2⌉, ⌈W/2⌉)" in projection
    # conv, BN, ReLU, conv, BN, ReLU on the main path; the projection adds conv 1x1 and BN
    boxes = [len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) for ax in fig.axes]
    assert boxes == [6, 6, 8]
    for drawn in (plain, identity, projection):
        assert drawn.count("batch norm") == (3 if drawn is projection else 2)

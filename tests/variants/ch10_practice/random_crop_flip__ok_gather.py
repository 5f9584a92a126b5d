# task: random_crop_flip
# expect: full
# Correct: all the draws first (in the syllabus's order, image by image), then one
# vectorised gather of the windows with index arrays.
def random_crop_flip(X, rng, pad=2):
    X = np.asarray(X)
    N, C, H, W = X.shape
    draws = np.array([(rng.integers(0, 2 * pad + 1), rng.integers(0, 2 * pad + 1), rng.random() < 0.5)
                      for _ in range(N)], dtype=np.int64).reshape(N, 3)
    padded = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    rows = draws[:, 0, None] + np.arange(H)                      # (N, H)
    cols = draws[:, 1, None] + np.arange(W)                      # (N, W)
    cols = np.where(draws[:, 2, None] == 1, cols[:, ::-1], cols)
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    return padded[n, c, rows[:, None, :, None], cols[:, None, None, :]]

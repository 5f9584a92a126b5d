# task: random_crop_flip
# expect: less
# The shift is drawn with rng.integers(0, 2 * pad): the largest shift never occurs and the
# generator's numbers map to other shifts.
def random_crop_flip(X, rng, pad=2):
    X = np.asarray(X)
    N, C, H, W = X.shape
    padded = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.empty_like(X)
    for i in range(N):
        dy = rng.integers(0, max(2 * pad, 1))
        dx = rng.integers(0, max(2 * pad, 1))
        flip = rng.random() < 0.5
        crop = padded[i, :, dy:dy + H, dx:dx + W]
        out[i] = crop[:, :, ::-1] if flip else crop
    return out

# task: random_crop_flip
# expect: less
# One shift and one flip for the whole batch: every image moves the same way.
def random_crop_flip(X, rng, pad=2):
    X = np.asarray(X)
    N, C, H, W = X.shape
    dy = rng.integers(0, 2 * pad + 1)
    dx = rng.integers(0, 2 * pad + 1)
    flip = rng.random() < 0.5
    padded = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = padded[:, :, dy:dy + H, dx:dx + W]
    return out[:, :, :, ::-1].copy() if flip else out.copy()

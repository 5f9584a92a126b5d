# task: random_crop_flip
# expect: less
# The flips are written into X itself before cropping: the right images come back, but
# the caller's batch is changed.
def random_crop_flip(X, rng, pad=2):
    N, C, H, W = X.shape
    out = np.empty_like(X)
    for i in range(N):
        dy = rng.integers(0, 2 * pad + 1)
        dx = rng.integers(0, 2 * pad + 1)
        if rng.random() < 0.5:
            X[i] = X[i, :, :, ::-1].copy()
            dx = 2 * pad - dx          # mirroring moves the window to the other side
        padded = np.pad(X[i], ((0, 0), (pad, pad), (pad, pad)))
        out[i] = padded[:, dy:dy + H, dx:dx + W]
    return out

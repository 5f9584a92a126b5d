# task: random_crop_flip
# expect: full
# Correct: torch's F.pad and torch.flip, returned as a float64 array (values, not dtype,
# are judged).
def random_crop_flip(X, rng, pad=2):
    x = torch.as_tensor(np.asarray(X, dtype=np.float64))
    N, C, H, W = x.shape
    padded = F.pad(x, (pad, pad, pad, pad))
    out = []
    for i in range(N):
        dy = int(rng.integers(0, 2 * pad + 1))
        dx = int(rng.integers(0, 2 * pad + 1))
        flip = rng.random() < 0.5
        crop = padded[i, :, dy:dy + H, dx:dx + W]
        out.append(torch.flip(crop, dims=[2]) if flip else crop)
    return torch.stack(out).numpy()

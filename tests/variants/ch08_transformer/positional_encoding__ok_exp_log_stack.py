# task: positional_encoding
# expect: full
# Another correct answer: frequencies as exp(-2i ln(10000) / d), sin and cos interleaved by stacking.
def positional_encoding(T, d):
    t = np.arange(T, dtype=float)[:, None]
    freq = np.exp(-np.arange(0, d, 2) * (np.log(10000.0) / d))
    angles = t * freq                                   # (T, d/2)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(T, d)

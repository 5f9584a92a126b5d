# task: positional_encoding
# expect: less
# All sines in the first half of the columns, all cosines in the second half.
def positional_encoding(T, d):
    t = np.arange(T)[:, None]
    freq = 10000.0 ** (-np.arange(0, d, 2) / d)
    return np.concatenate([np.sin(t * freq), np.cos(t * freq)], axis=1)

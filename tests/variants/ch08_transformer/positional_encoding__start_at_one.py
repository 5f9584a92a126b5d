# task: positional_encoding
# expect: less
# Numbers the positions from 1.
def positional_encoding(T, d):
    t = np.arange(1, T + 1)[:, None]
    freq = 10000.0 ** (-np.arange(0, d, 2) / d)
    pe = np.zeros((T, d))
    pe[:, 0::2] = np.sin(t * freq)
    pe[:, 1::2] = np.cos(t * freq)
    return pe

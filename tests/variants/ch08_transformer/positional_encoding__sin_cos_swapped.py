# task: positional_encoding
# expect: less
# Cosines in the even columns, sines in the odd ones.
def positional_encoding(T, d):
    t = np.arange(T)[:, None]
    freq = 10000.0 ** (-np.arange(0, d, 2) / d)
    pe = np.zeros((T, d))
    pe[:, 0::2] = np.cos(t * freq)
    pe[:, 1::2] = np.sin(t * freq)
    return pe

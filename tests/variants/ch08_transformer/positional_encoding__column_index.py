# task: positional_encoding
# expect: less
# Uses the column index j as the i of 2i/d: every column its own frequency 10000**(-2j/d).
def positional_encoding(T, d):
    t = np.arange(T)[:, None]
    j = np.arange(d)
    angles = t / 10000.0 ** (2 * j / d)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))

# task: positional_encoding
# expect: full
# A different correct answer: the formula, entry by entry.
def positional_encoding(T, d):
    pe = np.zeros((T, d))
    for t in range(T):
        for i in range(d // 2):
            angle = t / 10000 ** (2 * i / d)
            pe[t, 2 * i] = math.sin(angle)
            pe[t, 2 * i + 1] = math.cos(angle)
    return pe

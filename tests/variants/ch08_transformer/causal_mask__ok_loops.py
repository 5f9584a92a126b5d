# task: causal_mask
# expect: full
# Another correct answer, with loops.
def causal_mask(T):
    m = np.zeros((T, T), dtype=bool)
    for t in range(T):
        for s in range(t + 1):
            m[t, s] = True
    return m

# task: sample_with_temperature
# expect: less
# Right distribution, but drawn from NumPy's global random state, not from rng.
def sample_with_temperature(logits, temperature, rng):
    z = logits / temperature
    p = np.exp(z - z.max())
    return int(np.random.choice(len(p), p=p / p.sum()))

# task: sample_with_temperature
# expect: less
# Draws correctly but returns a one-hot vector instead of the index.
def sample_with_temperature(logits, temperature, rng):
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return rng.multinomial(1, p)

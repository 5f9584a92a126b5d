# task: sample_with_temperature
# expect: less
# Multiplies the logits by the temperature instead of dividing.
def sample_with_temperature(logits, temperature, rng):
    z = logits * temperature
    p = np.exp(z - z.max())
    return int(rng.choice(len(p), p=p / p.sum()))

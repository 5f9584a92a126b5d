# task: sample_with_temperature
# expect: less
# Samples from softmax(logits): the temperature is never used.
def sample_with_temperature(logits, temperature, rng):
    p = np.exp(logits - logits.max())
    return int(rng.choice(len(p), p=p / p.sum()))

# task: sample_with_temperature
# expect: less
# Normalises the scaled logits themselves instead of their exponentials (fails on negative logits).
def sample_with_temperature(logits, temperature, rng):
    z = logits / temperature
    p = z - z.min()
    return int(rng.choice(len(p), p=p / p.sum()))

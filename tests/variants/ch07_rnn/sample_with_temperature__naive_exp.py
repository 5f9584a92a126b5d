# task: sample_with_temperature
# expect: less
# Softmax without subtracting the maximum: overflows for large logits / small temperatures.
def sample_with_temperature(logits, temperature, rng):
    e = np.exp(logits / temperature)
    return int(rng.choice(len(e), p=e / e.sum()))

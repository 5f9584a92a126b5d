# task: sample_with_temperature
# expect: less
# Greedy: always the most likely index (the limit of temperature -> 0), no sampling.
def sample_with_temperature(logits, temperature, rng):
    return int(np.argmax(logits / temperature))

# task: sample_with_temperature
# expect: full
# The Gumbel-max trick: argmax(z + Gumbel noise) is a draw from softmax(z); no softmax needed.
def sample_with_temperature(logits, temperature, rng):
    z = np.asarray(logits, dtype=np.float64) / temperature
    return int(np.argmax(z + rng.gumbel(size=z.shape)))

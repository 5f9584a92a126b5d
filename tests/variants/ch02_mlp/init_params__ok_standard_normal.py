# task: init_params
# expect: full
# Standard normal draws scaled afterwards: the same numbers from the same generator.
def init_params(layer_sizes, rng):
    return [(rng.standard_normal((m, k)) * np.sqrt(2) / np.sqrt(m), np.zeros(k))
            for m, k in zip(layer_sizes, layer_sizes[1:])]

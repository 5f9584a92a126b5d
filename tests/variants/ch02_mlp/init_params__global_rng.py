# task: init_params
# expect: less
# Draws from NumPy's global random state instead of the given generator.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params.append((W, np.zeros(fan_out)))
    return params

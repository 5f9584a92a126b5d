# task: init_params
# expect: less
# Draws the bias at random too.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        b = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=fan_out)
        params.append((W, b))
    return params

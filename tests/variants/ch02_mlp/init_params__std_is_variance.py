# task: init_params
# expect: less
# Passes the variance 2 / fan_in where numpy expects the standard deviation.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))
        params.append((W, np.zeros(fan_out)))
    return params

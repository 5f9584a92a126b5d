# task: init_params
# expect: less
# The bias is a (1, fan_out) row instead of a (fan_out,) vector.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params.append((W, np.zeros((1, fan_out))))
    return params

# task: init_params
# expect: less
# Scales by the number of outputs instead of inputs.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
        params.append((W, np.zeros(fan_out)))
    return params

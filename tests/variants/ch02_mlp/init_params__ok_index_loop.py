# task: init_params
# expect: full
# An index loop and [W, b] lists: still one (W, b) pair per layer.
def init_params(layer_sizes, rng):
    params = []
    for i in range(len(layer_sizes) - 1):
        fan_in = layer_sizes[i]
        std = (2.0 / fan_in) ** 0.5
        W = rng.normal(loc=0.0, scale=std, size=(fan_in, layer_sizes[i + 1]))
        params.append([W, np.zeros(layer_sizes[i + 1], dtype=np.float64)])
    return params

# task: init_params
# expect: less
# A valid He draw in PyTorch's (fan_out, fan_in) layout, transposed: not the stated
# convention, so only the statistical checks pass.
def init_params(layer_sizes, rng):
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in)).T
        params.append((W, np.zeros(fan_out)))
    return params

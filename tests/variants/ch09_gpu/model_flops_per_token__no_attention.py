# task: model_flops_per_token
# expect: less
# Forgets attention, the rule of thumb 6N.
def model_flops_per_token(n_params, n_layers, d_model, seq_len):
    return 6 * n_params

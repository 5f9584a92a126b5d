# task: model_flops_per_token
# expect: full
# Correct, in floating point, forward and backward separately.
def model_flops_per_token(n_params, n_layers, d_model, seq_len):
    forward = 2.0 * n_params + 4.0 * n_layers * d_model * seq_len
    return 3.0 * forward

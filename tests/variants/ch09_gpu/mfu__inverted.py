# task: mfu
# expect: less
# Upside down: peak over achieved.
def mfu(tokens_per_second, flops_per_token, peak_flops):
    return peak_flops / (tokens_per_second * flops_per_token)

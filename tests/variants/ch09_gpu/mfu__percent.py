# task: mfu
# expect: less
# A percentage, not a fraction.
def mfu(tokens_per_second, flops_per_token, peak_flops):
    return 100 * tokens_per_second * flops_per_token / peak_flops

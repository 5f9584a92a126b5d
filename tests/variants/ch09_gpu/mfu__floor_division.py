# task: mfu
# expect: less
# Integer division: 0 for every real run with integer arguments.
def mfu(tokens_per_second, flops_per_token, peak_flops):
    return tokens_per_second * flops_per_token // peak_flops

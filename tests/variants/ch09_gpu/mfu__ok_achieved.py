# task: mfu
# expect: full
# Correct, through the achieved FLOP/s.
def mfu(tokens_per_second, flops_per_token, peak_flops):
    achieved = float(tokens_per_second) * float(flops_per_token)
    return achieved / float(peak_flops)

# task: receptive_field
# expect: less
# Adds k instead of k - 1 per layer (counts the centre pixel again in every layer).
def receptive_field(layers):
    side, jump = 1, 1
    for k, s in layers:
        side += k * jump
        jump *= s
    return side

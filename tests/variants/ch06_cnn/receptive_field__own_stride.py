# task: receptive_field
# expect: less
# Multiplies the stride of a layer into its own step (prod over j <= l): too large after a stride.
def receptive_field(layers):
    side, jump = 1, 1
    for k, s in layers:
        jump *= s
        side += (k - 1) * jump
    return side

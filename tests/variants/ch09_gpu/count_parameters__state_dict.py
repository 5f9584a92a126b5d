# task: count_parameters
# expect: less
# Counts the state dict: buffers too, and a tied weight once per name.
def count_parameters(model, trainable_only=True):
    total = 0
    for name, t in model.state_dict(keep_vars=True).items():
        if not trainable_only or t.requires_grad:
            total += t.numel()
    return total

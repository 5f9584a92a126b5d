# task: count_parameters
# expect: less
# Ignores trainable_only: frozen parameters are always counted.
def count_parameters(model, trainable_only=True):
    return sum(p.numel() for p in model.parameters())

# task: count_parameters
# expect: full
# Correct: deduplicates by tensor identity over every module's own parameters.
def count_parameters(model, trainable_only=True):
    unique = {}
    for _, p in model.named_parameters(remove_duplicate=False):
        unique[id(p)] = p
    return int(sum(p.numel() for p in unique.values() if p.requires_grad or not trainable_only))

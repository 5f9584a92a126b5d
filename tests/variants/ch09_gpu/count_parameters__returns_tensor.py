# task: count_parameters
# expect: less
# Right count, but a 0-d tensor instead of an int.
def count_parameters(model, trainable_only=True):
    sizes = [torch.tensor(p.numel()) for p in model.parameters() if p.requires_grad or not trainable_only]
    return torch.stack(sizes).sum()

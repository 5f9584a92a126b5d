# task: count_parameters
# expect: full
# The count as a NumPy integer (a value, not a Python int): accepted.
def count_parameters(model, trainable_only=True):
    sizes = np.array([p.numel() for p in model.parameters() if p.requires_grad or not trainable_only],
                     dtype=np.int64)
    return sizes.sum()

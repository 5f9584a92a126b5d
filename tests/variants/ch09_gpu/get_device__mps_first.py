# task: get_device
# expect: less
# Prefers Apple's MPS to CUDA: wrong on a machine that has both.
def get_device():
    if torch.backends.mps.is_available():
        return torch.device("mps")
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")

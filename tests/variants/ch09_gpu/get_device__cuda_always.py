# task: get_device
# expect: less
# Assumes every machine has an NVIDIA GPU.
def get_device():
    return torch.device("cuda")

# task: get_device
# expect: less
# The classic one-liner: forgets Apple GPUs.
def get_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")

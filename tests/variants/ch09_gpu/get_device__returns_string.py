# task: get_device
# expect: less
# Right preference, but returns a string, not a torch.device.
def get_device():
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"

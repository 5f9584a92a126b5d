# task: get_device
# expect: less
# Decides once and caches the answer: the same device on every machine simulated afterwards.
import functools

@functools.lru_cache(maxsize=None)
def get_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")

# task: get_device
# expect: full
# Correct, by walking a preference list.
def get_device():
    available = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    name = next((d for d in ("cuda", "mps") if available[d]), "cpu")
    return torch.device(name)

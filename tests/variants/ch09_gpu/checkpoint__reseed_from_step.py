# task: checkpoint
# expect: less
# Re-seeds the global RNG from the step instead of restoring its saved state: other dropout masks.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"step": step, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    torch.manual_seed(state["step"])
    return state["step"]

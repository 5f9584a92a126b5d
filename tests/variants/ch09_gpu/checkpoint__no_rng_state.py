# task: checkpoint
# expect: less
# torch's global RNG state is not saved: the resumed run draws other dropout masks.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"step": step, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["step"]

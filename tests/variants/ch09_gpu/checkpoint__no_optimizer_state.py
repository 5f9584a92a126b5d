# task: checkpoint
# expect: less
# Only the model and the RNG are saved: the fresh optimizer restarts its momentum / Adam moments from zero.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"step": step, "model": model.state_dict(), "rng": torch.get_rng_state()}, path)


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    model.load_state_dict(state["model"])
    torch.set_rng_state(state["rng"])
    return state["step"]

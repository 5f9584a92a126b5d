# task: checkpoint
# expect: less
# Returns the step after the saved one ("the next step to run"): the resumed run skips a batch.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"step": step, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "rng": torch.get_rng_state()}, path)


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["rng"])
    return state["step"] + 1

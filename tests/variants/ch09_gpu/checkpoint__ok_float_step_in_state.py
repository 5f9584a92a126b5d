# task: checkpoint
# expect: full
# Another correct pair: the step saved and returned as a float (a whole number: accepted as a value),
# the RNG state kept as a list of ints.
def save_checkpoint(path, model, optimizer, step):
    torch.save({"meta": {"step": float(step)}, "weights": model.state_dict(),
                "opt": optimizer.state_dict(), "rng": torch.get_rng_state().tolist()}, path)


def load_checkpoint(path, model, optimizer):
    ckpt = torch.load(path, weights_only=True)
    torch.set_rng_state(torch.tensor(ckpt["rng"], dtype=torch.uint8))
    model.load_state_dict(ckpt["weights"])
    optimizer.load_state_dict(ckpt["opt"])
    return ckpt["meta"]["step"]
